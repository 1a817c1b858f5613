/**
 * The JET structs, field by field, with the C type of each field as esent.h spells it. From this one
 * table come the koffi struct declarations, the byte layout used to read and write info structs in
 * caller buffers, and the ABI check's `sizeof`/`offsetof` assertions.
 *
 * @module
 */
import { isPointerType, scalarType } from "./ctypes.ts"

/** One field: its name in esent.h and its C type (a scalar, a pointer, or `WCHAR[n]`/`char[n]`). */
export type StructField = readonly [name: string, c: string]

/** Every struct the declarations use. */
export const jetStructs = {
  JET_RSTMAP_W: [["szDatabaseName", "WCHAR*"], ["szNewDatabaseName", "WCHAR*"]],
  JET_RECPOS: [
    ["cbStruct", "unsigned long"],
    ["centriesLT", "unsigned long"],
    ["centriesInRange", "unsigned long"],
    ["centriesTotal", "unsigned long"]
  ],
  JET_COLUMNDEF: [
    ["cbStruct", "unsigned long"],
    ["columnid", "JET_COLUMNID"],
    ["coltyp", "JET_COLTYP"],
    ["wCountry", "unsigned short"],
    ["langid", "unsigned short"],
    ["cp", "unsigned short"],
    ["wCollate", "unsigned short"],
    ["cbMax", "unsigned long"],
    ["grbit", "JET_GRBIT"]
  ],
  JET_COLUMNBASE_W: [
    ["cbStruct", "unsigned long"],
    ["columnid", "JET_COLUMNID"],
    ["coltyp", "JET_COLTYP"],
    ["wCountry", "unsigned short"],
    ["langid", "unsigned short"],
    ["cp", "unsigned short"],
    ["wFiller", "unsigned short"],
    ["cbMax", "unsigned long"],
    ["grbit", "JET_GRBIT"],
    ["szBaseTableName", "WCHAR[256]"],
    ["szBaseColumnName", "WCHAR[256]"]
  ],
  JET_COLUMNCREATE_W: [
    ["cbStruct", "unsigned long"],
    ["szColumnName", "WCHAR*"],
    ["coltyp", "JET_COLTYP"],
    ["cbMax", "unsigned long"],
    ["grbit", "JET_GRBIT"],
    ["pvDefault", "void*"],
    ["cbDefault", "unsigned long"],
    ["cp", "unsigned long"],
    ["columnid", "JET_COLUMNID"],
    ["err", "JET_ERR"]
  ],
  JET_UNICODEINDEX: [["lcid", "unsigned long"], ["dwMapFlags", "unsigned long"]],
  JET_TUPLELIMITS: [
    ["chLengthMin", "unsigned long"],
    ["chLengthMax", "unsigned long"],
    ["chToIndexMax", "unsigned long"],
    ["cchIncrement", "unsigned long"],
    ["ichStart", "unsigned long"]
  ],
  JET_CONDITIONALCOLUMN_W: [["cbStruct", "unsigned long"], ["szColumnName", "WCHAR*"], [
    "grbit",
    "JET_GRBIT"
  ]],
  JET_INDEXCREATE_W: [
    ["cbStruct", "unsigned long"],
    ["szIndexName", "WCHAR*"],
    ["szKey", "WCHAR*"],
    ["cbKey", "unsigned long"],
    ["grbit", "JET_GRBIT"],
    ["ulDensity", "unsigned long"],
    // A union with `unsigned long lcid`: the pointer member is the wider one.
    ["pidxunicode", "JET_UNICODEINDEX*"],
    // A union with `unsigned long cbVarSegMac`.
    ["ptuplelimits", "JET_TUPLELIMITS*"],
    ["rgconditionalcolumn", "JET_CONDITIONALCOLUMN_W*"],
    ["cConditionalColumn", "unsigned long"],
    ["err", "JET_ERR"],
    ["cbKeyMost", "unsigned long"]
  ],
  JET_TABLECREATE2_W: [
    ["cbStruct", "unsigned long"],
    ["szTableName", "WCHAR*"],
    ["szTemplateTableName", "WCHAR*"],
    ["ulPages", "unsigned long"],
    ["ulDensity", "unsigned long"],
    ["rgcolumncreate", "JET_COLUMNCREATE_W*"],
    ["cColumns", "unsigned long"],
    ["rgindexcreate", "JET_INDEXCREATE_W*"],
    ["cIndexes", "unsigned long"],
    ["szCallback", "WCHAR*"],
    ["cbtyp", "JET_CBTYP"],
    ["grbit", "JET_GRBIT"],
    ["tableid", "JET_TABLEID"],
    ["cCreated", "unsigned long"]
  ],
  JET_SETINFO: [["cbStruct", "unsigned long"], ["ibLongValue", "unsigned long"], [
    "itagSequence",
    "unsigned long"
  ]],
  JET_RETINFO: [
    ["cbStruct", "unsigned long"],
    ["ibLongValue", "unsigned long"],
    ["itagSequence", "unsigned long"],
    ["columnidNextTagged", "JET_COLUMNID"]
  ],
  JET_SETCOLUMN: [
    ["columnid", "JET_COLUMNID"],
    ["pvData", "const void*"],
    ["cbData", "unsigned long"],
    ["grbit", "JET_GRBIT"],
    ["ibLongValue", "unsigned long"],
    ["itagSequence", "unsigned long"],
    ["err", "JET_ERR"]
  ],
  JET_RETRIEVECOLUMN: [
    ["columnid", "JET_COLUMNID"],
    ["pvData", "void*"],
    ["cbData", "unsigned long"],
    ["cbActual", "unsigned long"],
    ["grbit", "JET_GRBIT"],
    ["ibLongValue", "unsigned long"],
    ["itagSequence", "unsigned long"],
    ["columnidNextTagged", "JET_COLUMNID"],
    ["err", "JET_ERR"]
  ],
  JET_ENUMCOLUMNID: [
    ["columnid", "JET_COLUMNID"],
    ["ctagSequence", "unsigned long"],
    ["rgtagSequence", "unsigned long*"]
  ],
  JET_ENUMCOLUMNVALUE: [
    ["itagSequence", "unsigned long"],
    ["err", "JET_ERR"],
    ["cbData", "unsigned long"],
    ["pvData", "void*"]
  ],
  JET_ENUMCOLUMN: [
    ["columnid", "JET_COLUMNID"],
    ["err", "JET_ERR"],
    // A union: {cEnumColumnValue, rgEnumColumnValue} or, compressed, {cbData, pvData}.
    ["cEnumColumnValue", "unsigned long"],
    ["rgEnumColumnValue", "JET_ENUMCOLUMNVALUE*"]
  ],
  JET_OPENTEMPORARYTABLE: [
    ["cbStruct", "unsigned long"],
    ["prgcolumndef", "const JET_COLUMNDEF*"],
    ["ccolumn", "unsigned long"],
    ["pidxunicode", "JET_UNICODEINDEX*"],
    ["grbit", "JET_GRBIT"],
    ["prgcolumnid", "JET_COLUMNID*"],
    ["cbKeyMost", "unsigned long"],
    ["cbVarSegMac", "unsigned long"],
    ["tableid", "JET_TABLEID"]
  ],
  JET_CONVERT_W: [["szOldDll", "WCHAR*"], ["fFlags", "unsigned long"]],
  JET_OBJECTINFO: [
    ["cbStruct", "unsigned long"],
    ["objtyp", "JET_OBJTYP"],
    ["dtCreate", "JET_DATESERIAL"],
    ["dtUpdate", "JET_DATESERIAL"],
    ["grbit", "JET_GRBIT"],
    ["flags", "unsigned long"],
    ["cRecord", "unsigned long"],
    ["cPage", "unsigned long"]
  ],
  JET_OBJECTLIST: [
    ["cbStruct", "unsigned long"],
    ["tableid", "JET_TABLEID"],
    ["cRecord", "unsigned long"],
    ["columnidcontainername", "JET_COLUMNID"],
    ["columnidobjectname", "JET_COLUMNID"],
    ["columnidobjtyp", "JET_COLUMNID"],
    ["columniddtCreate", "JET_COLUMNID"],
    ["columniddtUpdate", "JET_COLUMNID"],
    ["columnidgrbit", "JET_COLUMNID"],
    ["columnidflags", "JET_COLUMNID"],
    ["columnidcRecord", "JET_COLUMNID"],
    ["columnidcPage", "JET_COLUMNID"]
  ],
  JET_COLUMNLIST: [
    ["cbStruct", "unsigned long"],
    ["tableid", "JET_TABLEID"],
    ["cRecord", "unsigned long"],
    ["columnidPresentationOrder", "JET_COLUMNID"],
    ["columnidcolumnname", "JET_COLUMNID"],
    ["columnidcolumnid", "JET_COLUMNID"],
    ["columnidcoltyp", "JET_COLUMNID"],
    ["columnidCountry", "JET_COLUMNID"],
    ["columnidLangid", "JET_COLUMNID"],
    ["columnidCp", "JET_COLUMNID"],
    ["columnidCollate", "JET_COLUMNID"],
    ["columnidcbMax", "JET_COLUMNID"],
    ["columnidgrbit", "JET_COLUMNID"],
    ["columnidDefault", "JET_COLUMNID"],
    ["columnidBaseTableName", "JET_COLUMNID"],
    ["columnidBaseColumnName", "JET_COLUMNID"],
    ["columnidDefinitionName", "JET_COLUMNID"]
  ],
  JET_INDEXLIST: [
    ["cbStruct", "unsigned long"],
    ["tableid", "JET_TABLEID"],
    ["cRecord", "unsigned long"],
    ["columnidindexname", "JET_COLUMNID"],
    ["columnidgrbitIndex", "JET_COLUMNID"],
    ["columnidcKey", "JET_COLUMNID"],
    ["columnidcEntry", "JET_COLUMNID"],
    ["columnidcPage", "JET_COLUMNID"],
    ["columnidcColumn", "JET_COLUMNID"],
    ["columnidiColumn", "JET_COLUMNID"],
    ["columnidcolumnid", "JET_COLUMNID"],
    ["columnidcoltyp", "JET_COLUMNID"],
    ["columnidCountry", "JET_COLUMNID"],
    ["columnidLangid", "JET_COLUMNID"],
    ["columnidCp", "JET_COLUMNID"],
    ["columnidCollate", "JET_COLUMNID"],
    ["columnidgrbitColumn", "JET_COLUMNID"],
    ["columnidcolumnname", "JET_COLUMNID"],
    ["columnidLCMapFlags", "JET_COLUMNID"]
  ]
} as const satisfies Record<string, ReadonlyArray<StructField>>

/** The name of a struct of {@link jetStructs}. */
export type JetStructName = keyof typeof jetStructs

/** Where one field lies in a struct, and how it is stored. */
export interface FieldLayout {
  readonly name: string
  readonly c: string
  readonly offset: number
  readonly size: number
  readonly align: number
}

/** A struct's size, alignment and field offsets with Windows x64 rules. */
export interface StructLayout {
  readonly name: JetStructName
  readonly size: number
  readonly align: number
  readonly fields: ReadonlyArray<FieldLayout>
  readonly byName: ReadonlyMap<string, FieldLayout>
}

const arrayPattern = /^(WCHAR|char)\[(\d+)\]$/

const fieldSizeAlign = (c: string): { readonly size: number; readonly align: number } => {
  const scalar = scalarType(c)
  if (scalar !== undefined) return { size: scalar.size, align: scalar.size }
  if (isPointerType(c)) return { size: 8, align: 8 }
  const array = arrayPattern.exec(c)
  if (array !== null) {
    const unit = array[1] === "WCHAR" ? 2 : 1
    return { size: unit * Number(array[2]), align: unit }
  }
  throw new Error(`no layout for C type ${c}`)
}

const computeLayout = (name: JetStructName): StructLayout => {
  let offset = 0
  let align = 1
  const fields: Array<FieldLayout> = []
  for (const [fieldName, c] of jetStructs[name] as ReadonlyArray<StructField>) {
    const field = fieldSizeAlign(c)
    offset = Math.ceil(offset / field.align) * field.align
    fields.push({ name: fieldName, c, offset, size: field.size, align: field.align })
    offset += field.size
    align = Math.max(align, field.align)
  }
  const size = Math.ceil(offset / align) * align
  return { name, size, align, fields, byName: new Map(fields.map((f) => [f.name, f])) }
}

const layouts = new Map<JetStructName, StructLayout>()

/** The layout of a JET struct with Windows x64 alignment (computed once, then cached). */
export const structLayout = (name: JetStructName): StructLayout => {
  let layout = layouts.get(name)
  if (layout === undefined) {
    layout = computeLayout(name)
    layouts.set(name, layout)
  }
  return layout
}
