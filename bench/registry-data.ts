/**
 * The national-scale registry data set for `npm run bench -- registry`: 15,000 producers and
 * 20,000 products spread over the 34 provinces' real 2025 communes (read from
 * admin_units.unit), with Vietnamese names from word lists, valid tax codes and registration
 * numbers, product codes, stars and GTINs. Deterministic (seeded PRNG): every run builds the same
 * records. Written with set-based SQL (INSERT … SELECT FROM jsonb_to_recordset, one JSON parameter
 * per batch), then VACUUM ANALYZE: a few seconds on either engine.
 *
 * Also a command, to get a database to look at with EXPLAIN:
 *   tsx bench/registry-data.ts --data-dir DIR      (PGlite in DIR/pglite; DIR must be new)
 *   tsx bench/registry-data.ts --url postgres://…  (an existing, empty database)
 * with --extra-sql 'create index …' to try an index, --no-vacuum to skip VACUUM ANALYZE.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createAdminUnitsModule } from '../src/modules/admin-units/index.ts';
import { createIdentityModule } from '../src/modules/identity/index.ts';
import { taxCodeCheckDigit } from '../src/modules/producers/tax-code.ts';
import { gtinCheckDigit } from '../src/modules/products/gtin.ts';
import { formatProductCode } from '../src/modules/products/product-code.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { isMain } from '../src/platform/is-main.ts';

export const NATIONAL = { producers: 15_000, products: 20_000 };
/** The province whose office the bench signs in as: Cà Mau (U Minh honey, Bạc Liêu salt, dried fish). */
export const BENCH_PROVINCE = '96';

// --- deterministic randomness ----------------------------------------------------------------

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  };
  const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = ((int(0, 15) & 3) | 8).toString(16);
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return { next, int, pick, chance, weighted, digits, uuid };
}
type Random = ReturnType<typeof prng>;

// --- word lists (a|b|c: one entry each) ---------------------------------------------------------

const list = (entries: string) => entries.split('|');
const SURNAMES = list('Nguyễn|Trần|Lê|Phạm|Huỳnh|Hoàng|Phan|Vũ|Võ|Đặng|Bùi|Đỗ');
const MORE_SURNAMES = list('Hồ|Ngô|Dương|Lý|Trương|Đinh|Lâm|Tạ|Mai|Quách|La');
const MIDDLE = list('Văn|Thị|Minh|Hữu|Thanh|Ngọc|Quốc|Đức|Thị Thu|Hoàng|Kim|Xuân');
const GIVEN = list(
  'Hiền|Tâm|Lợi|Phúc|Hùng|Lan|Mai|Hoa|Dũng|Nam|Hải|Hương|Tuấn|Thảo|Trang|Bình|Cường|Hạnh|Nga|Sơn|Trung|' +
    'Khánh|Phương|Yến|Đạt|Thắng|Nhung|Lộc|Tài|Nghĩa|Thủy|Liên|Quyên|Vân|Hưng|Thịnh|Phát|Toàn|Châu|Diễm',
);
/** Southern nicknames by birth order: Út Hiền, Tư Lợi. */
const NICK = list('Út|Hai|Ba|Tư|Năm|Sáu|Bảy|Tám|Chín|Mười|Bà|Cô|Chú');
const BRAND_WORDS = list(
  'Hoàng Phát|Minh Tâm|Phú Quý|Tân Lộc|Thành Đạt|Hưng Thịnh|An Phú|Kim Ngân|Phúc Lộc|Đại Dương|Sao Mai|' +
    'Hồng Hà|Bảo Tín|Thiên Phú|Nam Việt|Xanh|Tâm Đức|Gia Hưng|Hương Quê|Đất Việt|Mekong|Trường An|Ngọc Lan|' +
    'Vạn Lợi|Quê Nhà|Hạnh Phúc',
);
const ENTERPRISE_FIELDS = list(
  'Nông sản|Thực phẩm|Đặc sản|Thương mại Dịch vụ|Xuất nhập khẩu|Chế biến Nông sản|Thủy sản|' +
    'Sản xuất Thương mại|Nông nghiệp Công nghệ cao|Dược liệu|Đầu tư Phát triển',
);
const COOPERATIVE_KINDS = list(
  'Nông nghiệp|Dịch vụ Nông nghiệp|Nông nghiệp Dịch vụ|Sản xuất Kinh doanh Dịch vụ|Thủy sản|' +
    'Nông nghiệp Công nghệ cao|Rau an toàn|Lúa gạo|Ong mật|Chè|Dừa|Muối|Dược liệu',
);
const VILLAGES = list('Mới|Chợ|Đông|Tây|Nam|Bắc|Trung|Phú Hòa|Tân Lập|An Bình|Hòa Thuận|Bến Đò');
const QUALIFIERS = list('loại 1|đặc biệt|hộp 500g|túi 1kg|cao cấp|hữu cơ|truyền thống|thượng hạng');

/**
 * What each of the 26 product sets makes: name stems; `@coast`, `@south`, `@north`, `@highland`:
 * where a stem is mostly made (elsewhere rarely). Specialities with a fixed name are below.
 */
type Region = 'coast' | 'south' | 'north' | 'highland';
const STEMS: Record<number, string[]> = {
  1: list(
    'Bưởi da xanh|Xoài cát Hòa Lộc@south|Cam sành|Nhãn lồng|Vải thiều@north|Thanh long ruột đỏ|' +
      'Sầu riêng Ri6@south|Chuối già|Dưa lưới|Khoai lang tím|Măng cụt@south|Chôm chôm|Mãng cầu ta|Bơ sáp|Su su@highland',
  ),
  2: list(
    'Tôm sú@coast|Cua biển@coast|Cá chình|Trứng gà ta|Sữa bò tươi|Gà đồi|Heo đen|Tôm càng xanh|' +
      'Cá lóc đồng|Hàu sữa@coast|Sò huyết@coast|Vịt xiêm',
  ),
  3: list(
    'Gạo ST25@south|Gạo thơm|Gạo huyết rồng|Nếp cái hoa vàng@north|Gạo lứt|Đậu xanh|Mè đen|Gạo hữu cơ|Đậu phộng',
  ),
  4: list(
    'Mật ong rừng|Mật ong hoa cà phê|Mật ong bạc hà@highland|Mật hoa dừa|Mật mía|Nấm rơm|Nấm linh chi|Yến sào|Tổ yến',
  ),
  5: list('Bánh mì que|Cháo dinh dưỡng|Mì tôm|Xúc xích|Bánh bao'),
  6: list(
    'Bánh tráng|Bánh phồng tôm@coast|Bún khô|Phở khô|Bánh đa|Cốm@north|Bánh pía@south|Hủ tiếu|Bánh tét|' +
      'Bánh cáy@north|Bánh gai@north',
  ),
  7: list(
    'Mứt gừng|Chuối sấy|Hạt điều rang muối|Mít sấy|Bột sắn dây|Mứt dừa|Khoai lang sấy|Bơ đậu phộng|' +
      'Kẹo dừa@south|Xoài sấy dẻo',
  ),
  8: list(
    'Khô cá bổi@coast|Khô cá sặc@south|Khô cá lóc|Tôm khô@coast|Khô mực@coast|Chả cá@coast|Lạp xưởng|' +
      'Nem chua|Ba khía muối@south|Giò lụa|Sữa chua|Bò một nắng|Chà bông|Khô cá dứa@coast|Cá khô@coast|' +
      'Mật ong ngâm chanh',
  ),
  9: list(
    'Nước mắm|Nước mắm cốt@coast|Tương bần@north|Tương ớt|Mắm tôm@coast|Mắm ruốc@coast|Giấm gạo|Mắm cá linh@south',
  ),
  10: list('Muối tinh|Muối hột|Muối tôm|Muối ớt|Tiêu đen|Tỏi cô đơn|Hành tím|Ớt bột|Sả sấy|Bột nghệ'),
  11: list('Trà Shan tuyết@highland|Chè xanh@north|Chè móc câu@north|Trà ô long|Trà xanh'),
  12: list(
    'Trà mãng cầu|Trà atiso|Trà lá sen|Trà hoa cúc|Trà gạo lứt|Trà thảo mộc|Trà đinh lăng|Trà khổ qua',
  ),
  13: list('Cà phê Robusta@highland|Cà phê Arabica@highland|Cà phê rang xay|Ca cao nguyên chất|Sô cô la'),
  14: list('Rượu đế|Rượu nếp cái|Rượu ngô men lá@highland|Rượu nếp than|Rượu gạo'),
  15: list('Rượu vang sim|Rượu mơ|Rượu chuối hột|Rượu tỏi|Rượu mãng cầu'),
  16: list('Nước uống đóng chai|Nước khoáng thiên nhiên|Nước tinh khiết'),
  17: list('Nước ép|Nước cốt dừa|Sữa đậu nành|Siro chanh dây|Nước mía'),
  18: list('Cao atiso|Viên tinh nghệ|Cao đinh lăng|Đông trùng hạ thảo|Giảo cổ lam|Tinh bột nghệ'),
  19: list('Dầu gội bồ kết|Xà bông thảo dược|Son dầu gấc|Kem nghệ'),
  20: list('Tinh dầu tràm|Tinh dầu sả chanh|Tinh dầu quế|Tinh dầu bưởi|Tinh dầu dừa'),
  21: list('Đan lát lục bình|Chiếu cói|Gốm|Mây tre đan|Nón lá|Tranh tre|Đồ gỗ mỹ nghệ|Giỏ cói'),
  22: list('Thổ cẩm|Lụa tơ tằm|Khăn lụa|Áo bà ba'),
  23: list('Hoa lan hồ điệp|Hoa cúc|Hoa hồng|Hoa mai vàng'),
  24: list('Bonsai|Mai vàng|Cây cảnh nghệ thuật|Mai chiếu thủy'),
  25: list('Cá Koi|Gà Đông Tảo|Cá cảnh|Chim cảnh'),
  26: list('Du lịch cộng đồng|Điểm du lịch sinh thái|Homestay|Khu du lịch sinh thái miệt vườn'),
};
/** How common each set is among OCOP products (food first, as in the national figures): set:weight. */
const SET_WEIGHTS = list(
  '1:9|2:6|3:6|4:5|5:1|6:8|7:9|8:11|9:5|10:4|11:4|12:6|13:3|14:4|15:2|16:1|17:3|18:4|19:2|20:2|21:4|22:1|' +
    '23:1|24:1|25:0.5|26:2',
).map((e) => e.split(':').map(Number) as [number, number]);
const COAST = new Set(list('22|31|38|40|42|44|46|48|51|52|56|68|79|86|91|92|96'));
const SOUTH = new Set(list('75|79|80|82|86|91|92|96'));
const HIGHLAND = new Set(list('04|08|11|12|14|15|19|20|52|66|68'));

/** Well-known places of each province (often former provinces or districts), for product names. */
const PLACES: Record<string, string[]> = Object.fromEntries(
  Object.entries({
    '01': 'Hà Nội|Bát Tràng|Vạn Phúc|Ba Vì',
    '04': 'Cao Bằng|Trùng Khánh',
    '08': 'Hà Giang|Tuyên Quang',
    '11': 'Điện Biên|Mường Thanh',
    '12': 'Lai Châu|Sìn Hồ',
    '14': 'Mộc Châu|Sơn La',
    '15': 'Sa Pa|Bắc Hà|Yên Bái',
    '19': 'Thái Nguyên|Tân Cương|Bắc Kạn',
    '20': 'Lạng Sơn|Thất Khê',
    '22': 'Vân Đồn|Hạ Long|Quảng Ninh',
    '24': 'Lục Ngạn|Bắc Giang|Bắc Ninh',
    '25': 'Phú Thọ|Hòa Bình|Vĩnh Phúc',
    '31': 'Cát Hải|Hải Dương|Thanh Hà',
    '33': 'Hưng Yên|Thái Bình',
    '37': 'Ninh Bình|Nam Định|Hà Nam',
    '38': 'Thanh Hóa|Nga Sơn|Sầm Sơn',
    '40': 'Nghệ An|Quỳnh Lưu',
    '42': 'Hà Tĩnh|Hương Khê',
    '44': 'Quảng Bình|Quảng Trị|Khe Sanh',
    '46': 'Huế|Phú Vang',
    '48': 'Hội An|Quảng Nam|Trà My',
    '51': 'Lý Sơn|Quảng Ngãi|Kon Tum',
    '52': 'Gia Lai|Bình Định|Pleiku',
    '56': 'Khánh Hòa|Ninh Thuận|Cam Ranh',
    '66': 'Buôn Ma Thuột|Phú Yên',
    '68': 'Đà Lạt|Bảo Lộc|Phan Thiết|Đắk Nông',
    '75': 'Đồng Nai|Bình Phước',
    '79': 'Củ Chi|Bình Dương|Vũng Tàu',
    '80': 'Tây Ninh|Long An',
    '82': 'Tiền Giang|Cao Lãnh|Sa Đéc',
    '86': 'Bến Tre|Trà Vinh|Vĩnh Long',
    '91': 'Phú Quốc|Châu Đốc|Kiên Giang',
    '92': 'Cần Thơ|Sóc Trăng|Hậu Giang',
    '96': 'Cà Mau|Bạc Liêu|Năm Căn|Đất Mũi',
  }).map(([code, places]) => [code, list(places)]),
);
/** Specialities with their own name, made in one province: set:name. */
const SPECIALITIES: Record<string, [number, string][]> = Object.fromEntries(
  Object.entries({
    '96':
      '4:Mật ong rừng U Minh|4:Mật ong rừng tràm U Minh Hạ|10:Muối tinh Bạc Liêu|10:Muối hột Bạc Liêu|' +
      '8:Khô cá bổi Cà Mau|8:Khô cá bổi Sông Đốc|8:Tôm khô Rạch Gốc|2:Cua Cà Mau|20:Tinh dầu tràm U Minh|' +
      '12:Trà mãng cầu Cà Mau|8:Ba khía muối Rạch Gốc|6:Bánh phồng tôm Cà Mau|10:Muối ớt Gành Hào',
    '91': '9:Nước mắm Phú Quốc|10:Tiêu Phú Quốc|9:Mắm cá linh Châu Đốc|4:Đường thốt nốt Tri Tôn',
    '19': '11:Chè Tân Cương Thái Nguyên|11:Trà xanh Thái Nguyên',
    '68': '12:Trà atiso Đà Lạt|13:Cà phê Arabica Cầu Đất|9:Nước mắm Phan Thiết|11:Trà ô long Bảo Lộc',
    '15': '11:Trà Shan tuyết Suối Giàng|14:Rượu ngô Bắc Hà',
    '66': '13:Cà phê Buôn Ma Thuột|4:Mật ong hoa cà phê Đắk Lắk',
    '24': '1:Vải thiều Lục Ngạn|6:Bánh đa Kế',
    '86': '7:Kẹo dừa Bến Tre|1:Bưởi da xanh Bến Tre',
    '46': '9:Mắm ruốc Huế|12:Trà cung đình Huế',
    '52': '14:Rượu Bàu Đá|6:Bánh tráng nước dừa Tam Quan',
    '92': '6:Bánh pía Sóc Trăng|3:Gạo ST25 Sóc Trăng',
    '01': '21:Gốm Bát Tràng|22:Lụa Vạn Phúc',
  }).map(([code, entries]) => [
    code,
    list(entries).map((e) => [Number(e.split(':')[0]), e.split(':')[1]!] as [number, string]),
  ]),
);

// --- generation --------------------------------------------------------------------------------

interface Commune {
  code: string;
  province_code: string;
  name: string;
  full_name: string;
  type: string;
  province_name: string;
  province_full_name: string;
}

const LEGAL_TYPES = list(
  'cooperative:34|household:30|enterprise:25|cooperative_group:5|farm:3|association:2|operating_centre:1',
).map((e) => [e.split(':')[0]!, Number(e.split(':')[1])] as [string, number]);

/** A street address, or a hamlet: ấp in the south, thôn or xóm elsewhere. */
function address(r: Random, c: Commune): string {
  if (c.type === 'phuong' || r.chance(0.15))
    return `Số ${r.int(1, 300)} đường ${r.pick(SURNAMES)} ${r.pick(GIVEN)}`;
  const hamlet = SOUTH.has(c.province_code) ? 'Ấp' : r.pick(['Thôn', 'Xóm']);
  return `${hamlet} ${r.chance(0.4) ? String(r.int(1, 12)) : r.pick(VILLAGES)}`;
}

function personName(r: Random) {
  return `${r.chance(0.8) ? r.pick(SURNAMES) : r.pick(MORE_SURNAMES)} ${r.pick(MIDDLE)} ${r.pick(GIVEN)}`;
}

/** A 10-digit tax code with a valid check digit (sequence 0000000 and remainder 0 avoided). */
function taxCode(r: Random, prefix: string): string {
  for (;;) {
    const nine = `${prefix}${r.digits(7)}`;
    const check = taxCodeCheckDigit(nine);
    if (check !== null && nine.slice(2) !== '0000000') return `${nine}${check}`;
  }
}

function producerName(r: Random, type: string, c: Commune, set: number): { name: string; brand: string } {
  const nick = `${r.pick(NICK)} ${r.pick(GIVEN)}`;
  const stem = stemText(r.pick(STEMS[set]!));
  switch (type) {
    case 'cooperative':
      return { name: `Hợp tác xã ${r.pick(COOPERATIVE_KINDS)} ${c.name}`, brand: c.name };
    case 'cooperative_group':
      return { name: `Tổ hợp tác ${stem} ${c.name}`, brand: c.name };
    case 'enterprise': {
      const form = r.weighted([
        ['Công ty TNHH', 5],
        ['Công ty TNHH MTV', 2],
        ['Công ty Cổ phần', 3],
        ['Doanh nghiệp tư nhân', 1],
      ]);
      const brand = r.chance(0.3) ? `${r.pick(BRAND_WORDS)} ${c.province_name}` : r.pick(BRAND_WORDS);
      return { name: `${form} ${r.pick(ENTERPRISE_FIELDS)} ${brand}`, brand };
    }
    case 'household':
      return r.chance(0.5)
        ? { name: `Cơ sở ${stem} ${nick}`, brand: nick }
        : { name: `Hộ kinh doanh ${personName(r)}`, brand: nick };
    case 'farm':
      return { name: `Trang trại ${stem} ${nick}`, brand: nick };
    case 'association':
      return {
        name: `Hội ${r.pick(['Nuôi ong', 'Làm vườn', 'Nông dân', 'Phụ nữ'])} ${c.name}`,
        brand: c.name,
      };
    default:
      return { name: `Ban quản lý Khu du lịch ${c.name}`, brand: c.name };
  }
}

const stemText = (stem: string) => stem.split('@')[0]!;

function regionFits(region: Region, province: string): boolean {
  if (region === 'coast') return COAST.has(province);
  if (region === 'south') return SOUTH.has(province);
  if (region === 'highland') return HIGHLAND.has(province);
  return !SOUTH.has(province);
}

function productName(r: Random, set: number, c: Commune, brand: string): string {
  const special = SPECIALITIES[c.province_code]?.filter(([s]) => s === set) ?? [];
  if (special.length > 0 && r.chance(0.6)) return r.pick(special)[1];
  const stems = STEMS[set]!.map((s) => {
    const [stem, region] = s.split('@') as [string, Region | undefined];
    return [stem, !region ? 1 : regionFits(region, c.province_code) ? 3 : 0.05] as const;
  });
  const stem = r.weighted(stems);
  const place = r.weighted([
    [c.name, 4],
    [r.pick(PLACES[c.province_code] ?? [c.province_name]), 4],
    [brand, 2],
    ['', 1],
  ]);
  const qualifier = r.chance(0.2) ? ` ${r.pick(QUALIFIERS)}` : '';
  return `${stem}${place ? ` ${place}` : ''}${qualifier}`;
}

/** The product's story (câu chuyện sản phẩm), as dossiers tell it: three to five sentences. */
function story(r: Random, name: string, producer: string, c: Commune, stars: number | null): string {
  const sentences = [
    `Xuất phát từ nghề truyền thống của gia đình tại ${c.full_name}, ${producer} đã gìn giữ cách làm ${name.toLowerCase()} qua nhiều thế hệ.`,
    `Nguyên liệu được chọn lọc từ vùng nguyên liệu của địa phương, chế biến theo quy trình khép kín và đạt chứng nhận an toàn thực phẩm.`,
    `Sản phẩm không dùng chất bảo quản, giữ được hương vị đặc trưng của ${c.province_name}.`,
    `Mỗi năm cơ sở cung cấp ra thị trường khoảng ${r.int(2, 80)} tấn sản phẩm, tạo việc làm ổn định cho ${r.int(5, 60)} lao động địa phương, phần lớn là phụ nữ.`,
    `Sản phẩm có mặt tại các cửa hàng đặc sản, siêu thị và sàn thương mại điện tử, được khách du lịch chọn làm quà biếu.`,
    ...(stars ? [`Năm ${r.int(2019, 2025)}, sản phẩm được công nhận đạt ${stars} sao OCOP.`] : []),
  ];
  return sentences.filter((_, i) => i === 0 || r.chance(0.6)).join(' ');
}

function gtin13(r: Random): string {
  const twelve = `893${r.digits(9)}`;
  return `${twelve}${gtinCheckDigit(twelve)}`;
}

export interface RegistryRows {
  producers: Record<string, unknown>[];
  products: Record<string, unknown>[];
  gtins: { gtin: string; product_id: string; position: number }[];
}

export function generateRegistry(communes: Commune[], size = NATIONAL, seed = 2025): RegistryRows {
  const r = prng(seed);
  // OCOP producers are mostly rural: a commune (xã) weighs three times a ward (phường)
  const byWeight = communes.map((c) => [c, c.type === 'xa' ? 3 : 1] as const);
  const total = byWeight.reduce((s, [, w]) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of byWeight) {
    acc += w;
    cumulative.push(acc);
  }
  const pickCommune = () => {
    const x = r.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return byWeight[lo]![0];
  };

  const producers: Record<string, unknown>[] = [];
  const meta: { id: string; name: string; commune: Commune; set: number; brand: string }[] = [];
  const names = new Map<string, number>();
  const taxCodes = new Set<string>();
  const registrations = new Set<string>();
  const unique = (seen: Set<string>, make: () => string) => {
    for (;;) {
      const value = make();
      if (!seen.has(value)) {
        seen.add(value);
        return value;
      }
    }
  };
  const uniqueTaxOf = (make: () => string) => unique(taxCodes, make);
  const uniqueTax = (prefix: string) => uniqueTaxOf(() => taxCode(r, prefix));
  const uniqueRegistration = (make: () => string) => unique(registrations, make);
  for (let i = 0; i < size.producers; i++) {
    const c = pickCommune();
    const type = r.weighted(LEGAL_TYPES);
    const set = type === 'operating_centre' ? 26 : r.weighted(SET_WEIGHTS);
    const named = producerName(r, type, c, set);
    const seen = names.get(named.name) ?? 0;
    names.set(named.name, seen + 1);
    const legalName = seen > 0 ? `${named.name} ${seen + 1}` : named.name;
    let tax: string | null = null;
    let registration: string | null = null;
    if (type === 'enterprise' || type === 'cooperative' || type === 'operating_centre') {
      tax = uniqueTax(c.province_code);
      // recent certificates carry the tax code; older cooperatives an office number (96.07.000123)
      registration =
        type === 'cooperative' && r.chance(0.3)
          ? uniqueRegistration(() => `${c.province_code}.07.${r.digits(6)}`)
          : uniqueRegistration(() => tax!);
    } else if (type === 'household' || type === 'farm') {
      // province, district office letter, 8 (household business), sequence: 61A8012345
      registration = uniqueRegistration(
        () => `${c.province_code}${String.fromCharCode(65 + r.int(0, 25))}8${r.digits(6)}`,
      );
      // since 7/2025 the owner's 12-digit personal number serves as the tax code
      if (r.chance(0.4))
        tax = uniqueTaxOf(() => `0${c.province_code}${r.pick(['0', '1', '2', '3'])}${r.digits(8)}`);
    } else {
      tax = uniqueTax(c.province_code);
    }
    const id = r.uuid();
    const year = r.int(1998, 2024);
    const workers = r.int(2, type === 'enterprise' ? 200 : 40);
    const representative = personName(r);
    producers.push({
      id,
      legal_type: type,
      is_sme: type === 'enterprise' && r.chance(0.9),
      legal_name: legalName,
      registration_number: registration,
      tax_code: tax,
      founded_on: `${year}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
      address: `${address(r, c)}, ${c.full_name}, ${c.province_full_name}`,
      commune_code: c.code,
      province_code: c.province_code,
      representative_name: representative,
      representative_title: r.pick(
        type === 'cooperative'
          ? ['Giám đốc', 'Chủ tịch Hội đồng quản trị']
          : type === 'enterprise'
            ? ['Giám đốc', 'Tổng Giám đốc']
            : ['Chủ hộ', 'Chủ cơ sở', 'Tổ trưởng'],
      ),
      phone: `0${r.pick(['9', '8', '3', '7'])}${r.digits(8)}`,
      worker_count: workers,
      trained_worker_count: r.int(0, workers),
      circular_economy: r.chance(0.1),
      created_at: `${r.int(2019, 2025)}-${String(r.int(1, 12)).padStart(2, '0')}-15T08:00:00Z`,
    });
    meta.push({ id, name: legalName, commune: c, set, brand: named.brand });
  }

  // every producer has a product; the rest go to random producers (some have several)
  const products: Record<string, unknown>[] = [];
  const gtins: RegistryRows['gtins'] = [];
  const sequences = new Map<string, number>();
  const productNames = new Set<string>();
  for (let i = 0; i < size.products; i++) {
    const p = i < meta.length ? meta[i]! : meta[r.int(0, meta.length - 1)]!;
    const set = i < meta.length || r.chance(0.6) ? p.set : r.weighted(SET_WEIGHTS);
    let name = productName(r, set, p.commune, p.brand);
    if (productNames.has(`${p.id}:${name}`)) name = `${name} ${r.pick(QUALIFIERS)}`;
    productNames.add(`${p.id}:${name}`);
    const stars = r.chance(0.6)
      ? r.weighted([
          [3, 72],
          [4, 25],
          [5, 3],
        ] as const)
      : null;
    let code: string | null = null;
    let sequence: number | null = null;
    if (stars !== null || r.chance(0.1)) {
      sequence = (sequences.get(p.commune.code) ?? 0) + 1;
      sequences.set(p.commune.code, sequence);
      code = formatProductCode({
        provinceCode: p.commune.province_code,
        communeCode: p.commune.code,
        sequence,
        year: r.int(2019, 2025),
      });
    }
    const priceMin = r.chance(0.7) ? r.int(2, 60) * 10_000 : null;
    const id = r.uuid();
    products.push({
      id,
      producer_id: p.id,
      name,
      product_set: set,
      description: r.chance(0.5)
        ? `${name} do ${p.name} sản xuất tại ${p.commune.full_name}, ${p.commune.province_full_name}, từ nguyên liệu của địa phương.`
        : null,
      story: r.chance(0.3) ? story(r, name, p.name, p.commune, stars) : null,
      packaging: r.chance(0.5)
        ? r.pick(['Hộp giấy', 'Túi zip', 'Chai thủy tinh', 'Hũ nhựa', 'Túi hút chân không'])
        : null,
      net_content: r.chance(0.5) ? r.pick(['200 g', '500 g', '1 kg', '250 ml', '500 ml']) : null,
      shelf_life_days: r.chance(0.5) ? r.pick([30, 90, 180, 365, 720]) : null,
      price_min: priceMin,
      price_max: priceMin !== null && r.chance(0.5) ? priceMin + r.int(1, 20) * 10_000 : null,
      status: r.chance(0.04) ? 'discontinued' : 'active',
      stars,
      product_code: code,
      code_sequence: sequence,
      commune_code: p.commune.code,
      province_code: p.commune.province_code,
      created_at: `${r.int(2019, 2025)}-${String(r.int(1, 12)).padStart(2, '0')}-20T08:00:00Z`,
    });
    if (r.chance(0.3)) {
      const count = r.chance(0.2) ? 2 : 1;
      for (let k = 0; k < count; k++) gtins.push({ gtin: `0${gtin13(r)}`, product_id: id, position: k });
    }
  }
  // GTINs drawn at random could repeat: keep the first
  const seenGtins = new Set<string>();
  return {
    producers,
    products,
    gtins: gtins.filter((g) => !seenGtins.has(g.gtin) && seenGtins.add(g.gtin)),
  };
}

// --- loading -----------------------------------------------------------------------------------

const PRODUCER_COLUMNS = `id uuid, legal_type text, is_sme boolean, legal_name text, registration_number text,
  tax_code text, founded_on date, address text, commune_code text, province_code text, representative_name text,
  representative_title text, phone text, worker_count integer, trained_worker_count integer,
  circular_economy boolean, created_at timestamptz`;
const PRODUCT_COLUMNS = `id uuid, producer_id uuid, name text, product_set smallint, description text,
  story text, packaging text, net_content text, shelf_life_days integer, price_min bigint, price_max bigint, status text,
  stars smallint, product_code text, code_sequence integer, commune_code text, province_code text,
  created_at timestamptz`;
const names = (columns: string) => columns.split(',').map((c) => c.trim().split(/\s+/)[0]!);

async function insertBatches(
  database: Database,
  table: string,
  columns: string,
  rows: Record<string, unknown>[],
  batch = 5000,
) {
  const list = names(columns).join(', ');
  for (let i = 0; i < rows.length; i += batch) {
    const json = JSON.stringify(rows.slice(i, i + batch));
    await sql`${sql.raw(`insert into ${table} (${list}, updated_at) select ${list}, created_at from jsonb_to_recordset(`)}${json}::jsonb${sql.raw(`) as t(${columns})`)}`.execute(
      database.db,
    );
  }
}

export interface BuildResult {
  producers: number;
  products: number;
  recognised: number;
  gtins: number;
  /** Milliseconds: generating the rows, inserting them, VACUUM ANALYZE. */
  timings: { generate: number; insert: number; analyze: number; total: number };
}

/** Writes the data set into a migrated, seeded database (admin units loaded), empty registry. */
export interface BuildOptions {
  size?: { producers: number; products: number };
  /**
   * SQL run after the rows are in, before VACUUM ANALYZE, to try an index before its migration:
   * statements separated by `;` (no `;` inside them).
   */
  extraSql?: string | undefined;
  /** false: skip VACUUM ANALYZE, leaving the database as bulk writes leave it on PGlite. */
  settle?: boolean;
}

export async function buildRegistry(database: Database, options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const { rows: communes } = await sql<Commune>`
    select c.code, c.province_code, c.name, c.full_name, c.type, p.name as province_name,
           p.full_name as province_full_name
    from admin_units.unit c join admin_units.unit p on p.era = '2025' and p.code = c.province_code
    where c.era = '2025' and c.level = 'commune' order by c.code`.execute(database.db);
  if (communes.length === 0) throw new Error('no 2025 communes: seed the administrative units first');
  const data = generateRegistry(communes, options.size ?? NATIONAL);
  const generated = performance.now();
  await insertBatches(database, 'producers.producer', PRODUCER_COLUMNS, data.producers);
  await insertBatches(database, 'products.product', PRODUCT_COLUMNS, data.products);
  await sql`insert into products.product_gtin (gtin, product_id, position)
    select gtin, product_id, position from jsonb_to_recordset(${JSON.stringify(data.gtins)}::jsonb)
      as t(gtin text, product_id uuid, position smallint)`.execute(database.db);
  await sql`insert into products.commune_sequence (commune_code, last_value)
    select commune_code, max(code_sequence) from products.product where code_sequence is not null
    group by commune_code`.execute(database.db);
  for (const statement of (options.extraSql ?? '').split(';').filter((x) => x.trim()))
    await sql.raw(statement).execute(database.db);
  const inserted = performance.now();
  // a settled database: statistics gathered and GIN pending lists merged (PGlite has no autovacuum)
  if (options.settle !== false) {
    for (const table of ['producers.producer', 'products.product', 'products.product_gtin'])
      await sql.raw(`vacuum analyze ${table}`).execute(database.db);
  }
  const done = performance.now();
  return {
    producers: data.producers.length,
    products: data.products.length,
    recognised: data.products.filter((p) => p.stars !== null).length,
    gtins: data.gtins.length,
    timings: {
      generate: Math.round(generated - started),
      insert: Math.round(inserted - generated),
      analyze: Math.round(done - inserted),
      total: Math.round(done - started),
    },
  };
}

/** Bench accounts with API tokens: an administrator and the office of BENCH_PROVINCE. */
export async function createBenchTokens(database: Database): Promise<{ admin: string; office: string }> {
  const adminUnits = createAdminUnitsModule(database);
  const identity = createIdentityModule(database, {
    adminUnits: adminUnits.service,
    publicUrl: new URL('http://localhost'),
    passwordParams: { N: 2 ** 10, r: 8, p: 1 },
  }).service;
  const context = { actor: { type: 'system' as const, label: 'bench' } };
  const tokens = { admin: '', office: '' };
  for (const [key, role, scopeCode] of [
    ['admin', 'admin', null],
    ['office', 'province_office', BENCH_PROVINCE],
  ] as const) {
    const email = `bench-${key}@ocop.local`;
    await identity.createUser(context, null, {
      email,
      name: `Bench ${key}`,
      role,
      scopeCode,
      password: 'bench-password-not-secret',
    });
    tokens[key] = (await identity.createTokenFor(context, email, 'bench')).token;
  }
  return tokens;
}

/** Migrates, seeds the administrative units, builds the registry and the bench tokens. */
export async function prepareRegistryDatabase(database: Database, options: BuildOptions = {}) {
  const started = performance.now();
  await migrate(database);
  await createAdminUnitsModule(database).seed();
  const prepared = performance.now();
  const build = await buildRegistry(database, options);
  const tokens = await createBenchTokens(database);
  return { build, tokens, migrateAndSeedMs: Math.round(prepared - started) };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      url: { type: 'string' },
      'extra-sql': { type: 'string' },
      'no-vacuum': { type: 'boolean' },
    },
  });
  if (!values['data-dir'] && !values.url) {
    console.error(
      'usage: tsx bench/registry-data.ts (--data-dir DIR | --url postgres://…) [--extra-sql SQL] [--no-vacuum]',
    );
    process.exit(64);
  }
  const database = await openDatabase(
    values.url ? { engine: 'postgres', url: values.url } : { engine: 'pglite', dataDir: values['data-dir']! },
  );
  try {
    const result = await prepareRegistryDatabase(database, {
      extraSql: values['extra-sql'],
      settle: !values['no-vacuum'],
    });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await database.close();
  }
}
