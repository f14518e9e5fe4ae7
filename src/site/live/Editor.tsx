/**
 * A cell's code editor: CodeMirror 6 with TypeScript highlighting, its light theme or One Dark
 * with the site's color mode; Shift+Enter runs the cell. Loaded on the first Edit (import()).
 */
import { javascript } from '@codemirror/lang-javascript';
import { Compartment, EditorState } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { EditorView, keymap } from '@codemirror/view';
import { useColorMode } from '@docusaurus/theme-common';
import { basicSetup } from 'codemirror';
import { useEffect, useRef, type JSX } from 'react';
import styles from './styles.module.css';

export interface EditorProps {
  value: string;
  onChange: (source: string) => void;
  onRun: () => void;
}

export default function Editor({ value, onChange, onRun }: EditorProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const theme = useRef(new Compartment());
  const callbacks = useRef({ onChange, onRun });
  const { colorMode } = useColorMode();
  const dark = colorMode === 'dark';

  useEffect(() => {
    callbacks.current = { onChange, onRun };
  }, [onChange, onRun]);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          keymap.of([{ key: 'Shift-Enter', run: () => (callbacks.current.onRun(), true) }]),
          basicSetup,
          javascript({ typescript: true }),
          theme.current.of(dark ? oneDark : []),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    v.focus();
    return () => v.destroy();
    // the editor is created once; later values come from the reader's typing
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? oneDark : []) });
  }, [dark]);

  // Reset brings the original source back while the editor is open
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={host} className={styles.editor} data-testid="live-editor" />;
}
