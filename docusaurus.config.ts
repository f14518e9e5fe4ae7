import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as Preset from '@docusaurus/preset-classic';
import type { Config } from '@docusaurus/types';
import { themes as prismThemes } from 'prism-react-renderer';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

// KaTeX's stylesheet (and, through it, its fonts) is bundled into the site: no CDN.
// Use the copy of the KaTeX version rehype-katex renders with.
const katexCss = [join(__dirname, 'node_modules/rehype-katex/node_modules/katex/dist/katex.min.css'), join(__dirname, 'node_modules/katex/dist/katex.min.css')].find((p) =>
  existsSync(p),
)!;

const math = { remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] };

const config: Config = {
  title: 'losslab',
  tagline: 'Deep-learning loss functions in TypeScript, with their gradients, reproduced in notebooks.',
  favicon: 'img/favicon.svg',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  trailingSlash: false,

  // docs:prepare writes the live notebook pages' worker and data here, served at /live/
  staticDirectories: ['static', 'docs/generated/live-static'],

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },

  i18n: { defaultLocale: 'en', locales: ['en'] },

  presets: [
    [
      'classic',
      {
        docs: {
          path: 'docs',
          routeBasePath: 'docs',
          sidebarPath: './sidebars.ts',
          ...math,
        },
        blog: false,
        pages: {
          path: 'src/site/pages',
          ...math,
        },
        theme: {
          customCss: [katexCss, './src/site/css/custom.css'],
        },
      } satisfies Preset.Options,
    ],
  ],

  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: 'docs',
        language: ['en'],
        highlightSearchTermsOnTargetPage: false,
        explicitSearchResultPath: true,
      },
    ],
  ],

  themeConfig: {
    colorMode: { defaultMode: 'light', disableSwitch: false, respectPrefersColorScheme: false },
    navbar: {
      title: 'losslab',
      logo: { alt: 'losslab', src: 'img/favicon.svg' },
      items: [
        { to: '/docs/getting-started', label: 'Get started', position: 'left' },
        { to: '/docs/notebooks', label: 'Notebooks', position: 'left' },
        { to: '/docs/explorer', label: 'Explorer', position: 'left' },
        { to: '/docs/reference', label: 'Reference', position: 'left' },
        { to: '/docs/reproduction', label: 'Reproduction', position: 'left' },
        { to: '/docs/errata', label: 'Errata', position: 'left' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Learn',
          items: [
            { label: 'Getting started', to: '/docs/getting-started' },
            { label: 'Notebooks', to: '/docs/notebooks' },
            { label: 'Loss explorer', to: '/docs/explorer' },
          ],
        },
        {
          title: 'Check',
          items: [
            { label: 'Loss reference', to: '/docs/reference' },
            { label: 'Reproduction', to: '/docs/reproduction' },
            { label: 'Errata', to: '/docs/errata' },
          ],
        },
      ],
      copyright: 'losslab, MIT licensed. Built with Docusaurus.',
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['python'],
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
