/**
 * Compiles generated MDX the way Docusaurus will (MDX 3 + remark-math + rehype-katex),
 * so a page that would break the site fails here with the notebook and cell named.
 */
import type { PluggableList } from 'unified';

type Compile = (
  source: string,
  options: { remarkPlugins: PluggableList; rehypePlugins: PluggableList },
) => Promise<{ messages: { source?: string | null; reason: string; cause?: unknown }[]; toString(): string }>;

let loaded: Promise<{ compile: Compile; remark: PluggableList; rehype: PluggableList }> | null = null;

/** The MDX toolchain is ESM-only: loaded with import() so CommonJS callers (tsx scripts) work. */
function toolchain() {
  loaded ??= (async () => {
    const [mdx, gfm, math, katex] = await Promise.all([import('@mdx-js/mdx'), import('remark-gfm'), import('remark-math'), import('rehype-katex')]);
    return { compile: mdx.compile as unknown as Compile, remark: [gfm.default, math.default], rehype: [[katex.default, { strict: false }]] as PluggableList };
  })();
  return loaded;
}

/** Throws with the MDX error, or the KaTeX error, of `mdx`; returns the compiled JS. */
export async function compileMdx(mdx: string): Promise<string> {
  const { compile, remark, rehype } = await toolchain();
  const body = mdx.replace(/^---\n[\s\S]*?\n---\n/, '');
  const file = await compile(body, { remarkPlugins: remark, rehypePlugins: rehype });
  const katexErrors = file.messages.filter((m) => m.source === 'rehype-katex');
  if (katexErrors.length) throw new Error(`KaTeX cannot render: ${katexErrors.map((m) => `${m.reason}${m.cause instanceof Error ? ` (${m.cause.message})` : ''}`).join('; ')}`);
  return String(file);
}
