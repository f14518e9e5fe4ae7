// Prettier, set to the style the code was written in (2-space indent, single quotes,
// semicolons, trailing commas, long lines), so formatting the repository changes few lines.
// `.prettierignore` lists what is not formatted, and why.
/** @type {import('prettier').Config} */
export default {
  printWidth: 180,
  singleQuote: true,
  trailingComma: 'all',
};
