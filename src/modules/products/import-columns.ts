/**
 * The columns an import understands, with the headings provinces actually use, and how a
 * heading is recognised (case, diacritics, punctuation and spacing ignored: platform/spreadsheet's
 * foldHeading). Pure.
 */
import { foldHeading, guessMapping as guessColumns } from '../../platform/spreadsheet/index.ts';

export const IMPORT_TARGETS = ['producers', 'products'] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

export interface ImportField {
  key: string;
  required: boolean;
  aliases: string[];
}

const identifierFields: ImportField[] = [
  {
    key: 'registrationNumber',
    required: false,
    aliases: [
      'so dkkd',
      'so dang ky kinh doanh',
      'giay dkkd',
      'so giay chung nhan dang ky kinh doanh',
      'dkkd',
      'so dang ky',
    ],
  },
  { key: 'taxCode', required: false, aliases: ['ma so thue', 'mst', 'ma so doanh nghiep'] },
];

export const IMPORT_FIELDS: Record<ImportTarget, ImportField[]> = {
  producers: [
    {
      key: 'legalName',
      required: true,
      aliases: [
        'ten chu the',
        'chu the',
        'ten co so',
        'ten don vi',
        'ten to chuc',
        'ten doanh nghiep',
        'ten htx',
        'chu the san xuat',
      ],
    },
    {
      key: 'legalType',
      required: false,
      aliases: ['loai hinh', 'loai hinh to chuc', 'hinh thuc to chuc', 'loai hinh chu the'],
    },
    ...identifierFields,
    { key: 'foundedOn', required: false, aliases: ['ngay thanh lap', 'thanh lap'] },
    { key: 'address', required: false, aliases: ['dia chi', 'dia chi san xuat', 'so nha duong'] },
    {
      key: 'communeCode',
      required: false,
      aliases: ['ma xa', 'ma xa phuong', 'ma xa 2025', 'ma don vi hanh chinh'],
    },
    {
      key: 'communeName',
      required: false,
      aliases: ['xa', 'xa phuong', 'ten xa', 'phuong xa', 'xa phuong dac khu'],
    },
    {
      key: 'oldCommuneCode',
      required: false,
      aliases: ['ma xa cu', 'ma xa truoc 2025', 'ma xa truoc sap nhap'],
    },
    {
      key: 'oldCommuneName',
      required: false,
      aliases: ['xa cu', 'ten xa cu', 'xa truoc sap nhap', 'xa phuong cu'],
    },
    {
      key: 'oldDistrictName',
      required: false,
      aliases: ['huyen', 'huyen cu', 'quan huyen', 'huyen thi xa thanh pho'],
    },
    {
      key: 'representativeName',
      required: false,
      aliases: ['nguoi dai dien', 'dai dien', 'chu co so', 'nguoi dai dien phap luat'],
    },
    { key: 'phone', required: false, aliases: ['dien thoai', 'so dien thoai', 'sdt', 'dt'] },
    { key: 'email', required: false, aliases: ['email', 'thu dien tu', 'e mail'] },
    { key: 'workerCount', required: false, aliases: ['so lao dong', 'lao dong', 'tong so lao dong'] },
  ],
  products: [
    { key: 'productName', required: true, aliases: ['ten san pham', 'san pham', 'ten sp'] },
    { key: 'productSet', required: true, aliases: ['bo san pham', 'bo', 'ma bo san pham', 'bo tieu chi'] },
    ...identifierFields,
    { key: 'productCode', required: false, aliases: ['ma san pham', 'ma so san pham', 'ma sp'] },
    { key: 'stars', required: false, aliases: ['so sao', 'hang sao', 'xep hang', 'sao', 'ket qua xep hang'] },
    { key: 'gtin', required: false, aliases: ['ma vach', 'gtin', 'barcode', 'ma gtin'] },
    {
      key: 'netContent',
      required: false,
      aliases: ['khoi luong', 'quy cach', 'the tich', 'khoi luong tinh'],
    },
    { key: 'description', required: false, aliases: ['mo ta', 'mo ta san pham'] },
  ],
};

/** Column index per field, guessed from the headings (the user can change it before importing). */
export function guessMapping(target: ImportTarget, headers: string[]): Record<string, number> {
  return guessColumns(headers, IMPORT_FIELDS[target]);
}

/** The legal form written in a cell or implied by the name ("HTX …", "Công ty …"). */
export function legalTypeOf(cell: string | null, name: string): string | null {
  const text = foldHeading(cell || name);
  const rules: [RegExp, string][] = [
    [/^(htx|hop tac xa)\b/, 'cooperative'],
    [/^(tht|to hop tac)\b/, 'cooperative_group'],
    [/^(cong ty|cty|doanh nghiep|dn|dntn|tnhh|co phan)\b/, 'enterprise'],
    [/^(hkd|ho kinh doanh|ho san xuat|co so|ho)\b/, 'household'],
    [/^(trang trai)\b/, 'farm'],
    [/^(hiep hoi|hoi)\b/, 'association'],
    [/^(trung tam|ban quan ly|don vi van hanh)\b/, 'operating_centre'],
  ];
  for (const [pattern, type] of rules) if (pattern.test(text)) return type;
  for (const type of [
    'cooperative',
    'cooperative_group',
    'enterprise',
    'household',
    'farm',
    'association',
    'operating_centre',
  ])
    if (text === type.replace('_', ' ')) return type;
  return null;
}
