/**
 * Type declarations for the parts of `sax` 1.x (installed as a dependency of marcrecord, no bundled
 * types) that the streaming MARCXML reader uses.
 */
declare module 'sax' {
  export interface SAXOptions {
    trim?: boolean;
    normalize?: boolean;
    lowercase?: boolean;
    xmlns?: boolean;
    position?: boolean;
  }

  export interface Tag {
    name: string;
    attributes: Record<string, string>;
    isSelfClosing: boolean;
  }

  export interface SAXParser {
    /** Characters (UTF-16 code units) consumed so far. */
    position: number;
    /** `position` just after the '<' that opened the current tag. */
    startTagPosition: number;
    line: number;
    column: number;
    error: Error | null;
    onerror: (error: Error) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onopentag: (tag: Tag) => void;
    onclosetag: (name: string) => void;
    onend: () => void;
    write(chunk: string): SAXParser;
    close(): SAXParser;
    resume(): SAXParser;
  }

  export function parser(strict: boolean, options?: SAXOptions): SAXParser;
}
