// Types of Docusaurus's aliases (@theme/*, @docusaurus/*, CSS modules) for tsc over src/.
/// <reference types="@docusaurus/module-type-aliases" />
/// <reference types="@docusaurus/theme-classic" />
