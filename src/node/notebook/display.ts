/**
 * One display_data output with several MIME types at once, through tslab's own channel.
 *
 * `tslab.display.raw()` sends one MIME type per output; a check needs its JSON record next to
 * a readable `text/plain` line, and a plot its SVG next to its Vega-Lite source. tslab keeps
 * the current cell's display writer in `lastWriteDisplayData` (set per cell by
 * `JupyterHandlerImpl.handleExecute`, in the kernel and in our runner alike), so we call it.
 * Outside tslab (plain Node, tests) the `text/plain` part is printed instead.
 */
import * as jupyter from 'tslab/dist/jupyter';

export type MimeBundle = Record<string, string | object>;

export function display(data: MimeBundle): void {
  const write = jupyter.lastWriteDisplayData as ((d: object, update: boolean) => void) | null;
  if (write) {
    write({ data, metadata: {}, transient: {} }, false);
    return;
  }
  const text = data['text/plain'];
  if (typeof text === 'string') console.log(text);
}
