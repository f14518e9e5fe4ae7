/**
 * Helpers for the notebooks: `check` reproduced numbers, `plot` Vega-Lite charts, show images.
 * Node-only (loaded by tslab through `require`); see notebooks/README or the runner's docs.
 */
export { check, formatCheck, CHECK_MIME, CHECK_KINDS, CheckFailedError, type CheckSpec, type CheckRecord, type CheckKind } from './check';
export { plot, renderSvg, lineChart, seriesRows, type VegaLiteSpec, type LineChartOptions, type Row } from './plot';
export { showPng, digitGrid, encodePng, type PngOptions, type GridOptions } from './png';
export { display, type MimeBundle } from './display';
