/**
 * Type declarations for the parts of `marcrecord` 1.4 (plain JavaScript, no bundled types) that the
 * catalogue's MARC layer uses. Shapes follow node_modules/marcrecord/lib.
 */
declare module 'marcrecord' {
  /** Data of a subfield: text, or (UNIMARC $1) an embedded field. */
  export type MarcSubfieldData = string | MarcControlField | MarcDataField;

  export class MarcVariableField {
    tag: string;
    isControlField(): boolean;
    isDataField(): boolean;
  }

  export class MarcControlField extends MarcVariableField {
    constructor(tag: string, data?: string);
    data: string;
  }

  export class MarcSubfield {
    constructor(code: string, data: MarcSubfieldData);
    code: string;
    data: MarcSubfieldData;
    isEmbeddedField(): boolean;
  }

  export class MarcDataField extends MarcVariableField {
    constructor(tag: string, ind1?: string, ind2?: string, subfields?: MarcSubfield[]);
    ind1: string;
    ind2: string;
    subfields: MarcSubfield[];
    addSubfield(subfield: MarcSubfield): void;
    getSubfields(codes?: string | string[]): MarcSubfield[];
  }

  export class MarcRecord {
    constructor(fields?: (MarcControlField | MarcDataField)[]);
    leader: string;
    fields: (MarcControlField | MarcDataField)[];
    getLeader(): string;
    setLeader(leader: string): void;
    addVariableField(field: MarcControlField | MarcDataField): void;
    getVariableFields(tags?: string | RegExp | (string | RegExp)[]): (MarcControlField | MarcDataField)[];
    toString(): string;
  }

  export interface MarcIsoReaderOptions {
    /** 'UNIMARC' makes $1 start an embedded field; anything else reads $1 as plain data. */
    format: string;
    /** iconv-lite encoding name; null or undefined decodes UTF-8. */
    encoding?: string | null;
    permissive?: boolean;
    controlFieldRegexp: RegExp;
    parseInvalidDataField?: boolean;
  }

  export class MarcIsoReader {
    static parseRecord(buffer: Buffer, options: MarcIsoReaderOptions): MarcRecord;
    static parseField(
      buffer: Buffer,
      tag: string,
      fieldStart: number,
      fieldLength: number,
      options: MarcIsoReaderOptions,
    ): MarcControlField | MarcDataField;
  }

  export interface MarcIsoWriterOptions {
    /** iconv-lite encoding name; null or undefined writes UTF-8. */
    encoding?: string | null;
  }

  export class MarcIsoWriter {
    /** Writes the record into `buffer` (which must be big enough) and returns the number of bytes written. */
    static recordToIso2709(record: MarcRecord, buffer: Buffer, options?: MarcIsoWriterOptions): number;
  }

  export interface MarcXmlWriterOptions {
    /** 'UNIMARC' writes embedded fields as non-standard <s1> elements; 'MARC21' flattens them into subfields. */
    format: string;
  }

  export class MarcXmlWriter {
    static recordToMarcXml(record: MarcRecord, options: MarcXmlWriterOptions): string;
  }
}
