#!/usr/bin/env python3
"""Builds data/demo/ca-mau.json, the DEMO data set of real Cà Mau / Bạc Liêu OCOP products.

Input: the research notes shared/reference/demo/ca-mau-ocop-products.md, transcribed by hand into the
tables below (the notes are prose and Markdown tables, so they are not parsed), plus the project's
administrative-unit files in data/admin-units/ (read at build time; no unit code is typed in without
being checked against them).

Run from anywhere:  python3 data/demo/build.py
It rewrites data/demo/ca-mau.json and fails loudly if a code does not resolve. See README.md.
"""

import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ADMIN = os.path.normpath(os.path.join(HERE, '..', 'admin-units'))
OUT = os.path.join(HERE, 'ca-mau.json')

# --------------------------------------------------------------------------------------------------
# Administrative units
# --------------------------------------------------------------------------------------------------


def load_json(rel):
    with open(os.path.join(ADMIN, rel), encoding='utf-8') as f:
        return json.load(f)


PRE = {w['code']: w for w in load_json('pre-2025/wards.json') if w['provinceCode'] in ('95', '96')}
CUR = {w['code']: w for w in load_json('current-2025/wards.json') if w['provinceCode'] == '96'}
SUCCESSORS = {}  # old commune code -> [(new code, merge)]
with open(os.path.join(ADMIN, 'mapping-2025', 'ward-old-to-new.csv'), encoding='utf-8') as f:
    for row in csv.DictReader(f):
        if row['oldProvinceCode'] in ('95', '96'):
            SUCCESSORS.setdefault(row['oldWardCode'], []).append((row['newWardCode'], row['merge']))


def die(msg):
    sys.exit(f'build.py: {msg}')


def old_unit(code, district, full_name):
    """Checks that an old commune code is the one we mean (same name, same district)."""
    w = PRE.get(code)
    if w is None:
        die(f'old commune {code} not in pre-2025/wards.json')
    if w['districtCode'] != district or w['fullName'] != full_name:
        die(f'old commune {code} is {w["fullName"]} ({w["districtCode"]}), expected {full_name} ({district})')
    return w


def locate(loc):
    """Returns (oldCommuneCode, communeCode, communeConfidence) for a location spec."""
    kind = loc[0]
    if kind == 'old':  # the address names an old commune
        _, code, district, full_name, pick = loc
        old_unit(code, district, full_name)
        succ = SUCCESSORS.get(code) or die(f'no successor for {code}')
        if len(succ) == 1 and succ[0][1] == 'full':
            if pick is not None:
                die(f'{code} merged fully; no pick needed')
            return code, succ[0][0], 'exact'
        if pick is None or pick not in [s[0] for s in succ]:
            die(f'{code} was split into {succ}; pick one of them')
        return code, pick, 'partial'
    if kind == 'seat':  # only a district/town (or province) is known: use its seat commune
        _, seat_code, district, full_name = loc
        old_unit(seat_code, district, full_name)
        succ = SUCCESSORS.get(seat_code) or die(f'no successor for seat {seat_code}')
        if len(succ) != 1 or succ[0][1] != 'full':
            die(f'seat {seat_code} was split; choose another rule')
        return None, succ[0][0], 'guess'
    die(f'unknown location kind {kind}')


# Seat communes (trụ sở UBND) of the old districts, used for 'guess' locations.
SEAT_VINH_LOI = ('seat', '31900', '958', 'Thị trấn Châu Hưng')
SEAT_PHUOC_LONG = ('seat', '31867', '957', 'Thị trấn Phước Long')
SEAT_HOA_BINH = ('seat', '31891', '961', 'Thị trấn Hòa Bình')
SEAT_GIA_RAI = ('seat', '31942', '959', 'Phường 1')
# TP Bạc Liêu: Phường 1, 2, 3, 7 and 8 (the city centre) all merged fully into Phường Bạc Liêu, so the
# result does not depend on which of them held the city's People's Committee.
SEAT_TP_BAC_LIEU = ('seat', '31825', '954', 'Phường 1')
SEAT_U_MINH = ('seat', '32044', '966', 'Thị trấn U Minh')
# Old Cà Mau province: UBND tỉnh at 02 Hùng Vương, Phường 5, TP Cà Mau. Used only when nothing but the
# province is known.
SEAT_CA_MAU_PROVINCE = ('seat', '32008', '964', 'Phường 5')

# --------------------------------------------------------------------------------------------------
# Producers (deduplicated by legal name). 'loc' is the old address resolved above; 'where' records where
# the address comes from when it is not in the notes (kept here, not exported; README lists them).
# --------------------------------------------------------------------------------------------------

P = []


def producer(key, legal_name, legal_type, address, loc, representative=None, where='notes'):
    P.append(dict(key=key, legalName=legal_name, legalType=legal_type, address=address, loc=loc,
                  representative=representative, where=where))


producer('muoi-bac-lieu', 'Công ty Cổ phần Muối Bạc Liêu', 'enterprise', 'huyện Vĩnh Lợi', SEAT_VINH_LOI,
         where='notes #67 (vietnamleads.com)')
producer('thuy-luc', 'Hộ kinh doanh Thúy Lực', 'household', '107 Phạm Văn Ký, Phường 2, TP Cà Mau',
         ('old', '32002', '964', 'Phường 2', None))
producer('quach-tet', 'Hộ kinh doanh Quách Tệt', 'household',
         '205-207 Phan Bội Châu, Khóm 4, Phường 7, TP Cà Mau',
         # Phường 7 was split between Phường Tân Thành and Phường Hoà Thành (NQ 1655/NQ-UBTVQH15 khoản
         # 62-63); the shares are not published in our sources. Pick: Tân Thành (unverified, see README).
         ('old', '32020', '964', 'Phường 7', '32025'))
producer('nguyen-gia', 'Công ty TNHH MTV Nguyễn Gia Cà Mau', 'enterprise',
         '136 Nguyễn Tất Thành, Khóm 1, Phường 8, TP Cà Mau', ('old', '32014', '964', 'Phường 8', None))
producer('truc-thuong', 'HTX Trúc Thương', 'cooperative', 'ấp Tân Hiệp, xã Tân Dân, huyện Đầm Dơi',
         ('old', '32174', '970', 'Xã Tân Dân', None))
producer('ba-khia-dam-doi', 'HTX Ba khía Đầm Dơi', 'cooperative',
         'ấp Cây Kè, xã Quách Phẩm Bắc, huyện Đầm Dơi', ('old', '32179', '970', 'Xã Quách Phẩm Bắc', None))
producer('cai-bat', 'HTX Chế biến, thương mại, dịch vụ nuôi trồng thủy sản Cái Bát', 'cooperative',
         'ấp Cái Bát, xã Hoà Mỹ, huyện Cái Nước',
         # Xã Hoà Mỹ went to Tân Hưng, Hưng Mỹ and (0.007 km², 49 people) Phú Mỹ. Hưng Mỹ takes "the rest";
         # area arithmetic puts most of it there (README).
         ('old', '32141', '969', 'Xã Hoà Mỹ', '32140'))
producer('tan-phat-loi', 'HTX Tân Phát Lợi', 'cooperative', 'ấp Tân Lập, xã Tân Ân Tây, huyện Ngọc Hiển',
         ('old', '32236', '973', 'Xã Tân Ân Tây', None))
producer('yen-sao-dat-mui', 'Công ty TNHH TM DV Yến sào Đất Mũi', 'enterprise',
         '42-44-46 Tạ Uyên, Khóm 4, Phường 9, TP Cà Mau', ('old', '31999', '964', 'Phường 9', None))
producer('huynh-quoc-son', 'Công ty TNHH thương mại, dịch vụ du lịch sinh thái U Minh Hạ Huỳnh Quốc Sơn',
         'enterprise', 'huyện U Minh', SEAT_U_MINH, where='mientay.giadinhonline.vn (d8249)')
producer('ba-tinh', 'Hộ kinh doanh nông trại 3 Tình', 'household', 'ấp 18, xã Khánh Thuận, huyện U Minh',
         # Khánh Thuận went to Xã U Minh (a part) and Xã Nguyễn Phích (the rest, most of the area).
         ('old', '32048', '966', 'Xã Khánh Thuận', '32044'), where='mientay.giadinhonline.vn (d8249)')
producer('sk-noni', 'Công ty TNHH sản xuất thương mại SK NONI', 'enterprise',
         'ấp Công Nghiệp, xã Lợi An, huyện Trần Văn Thời',
         # Lợi An was split three ways; a 2025 report places the company in xã Trần Văn Thời.
         ('old', '32122', '968', 'Xã Lợi An', '32095'),
         where='laodong.vn (1106877); 2025 commune: vietnam.vn (chu-the-ocop-tat-bat-chuan-bi-cho-ngay-hoi-cua-ca-mau)')
producer('nong-thinh-phat', 'HTX Nông Thịnh Phát', 'cooperative', None, SEAT_CA_MAU_PROVINCE,
         where='none found')
producer('minh-thao', 'Công ty TNHH Dịch vụ và thương mại Minh Thảo – Chi nhánh III', 'enterprise', None,
         SEAT_CA_MAU_PROVINCE, where='none found')
producer('song-dam', 'HTX Sông Đầm', 'cooperative', 'ấp Tân Hiệp, xã Tân Dân, huyện Đầm Dơi',
         ('old', '32174', '970', 'Xã Tân Dân', None), where='nongthon.vietnamtourism.gov.vn/?p=31253')
producer('ngoc-giau', 'Hộ kinh doanh Ngọc Giàu', 'household', 'xã Tân Tiến, huyện Đầm Dơi',
         ('old', '32176', '970', 'Xã Tân Tiến', None), representative='Trương Ngọc Giàu')
producer('co-ba-gan', 'Hộ kinh doanh Cô Ba Gần', 'household', 'ấp Tân Đức, xã Tân Đức, huyện Đầm Dơi',
         ('old', '32164', '970', 'Xã Tân Đức', None), where='baocamau.vn (a24891)')
producer('hong-hoa', 'HTX nuôi trồng Hồng Hoa', 'cooperative', 'xã Tân Duyệt, huyện Đầm Dơi',
         ('old', '32173', '970', 'Xã Tân Duyệt', None), where='nongthonmoi.hatinh.gov.vn (118235)')
producer('tai-thinh-phat', 'HTX Tài Thịnh Phát FARM', 'cooperative', 'ấp Lung Đước, xã Tam Giang, huyện Năm Căn',
         ('old', '32206', '971', 'Xã Tam Giang', None))
producer('yen-khoa', 'Hộ kinh doanh Yến Khoa', 'household', 'thị trấn Thới Bình, huyện Thới Bình',
         ('old', '32065', '967', 'Thị trấn Thới Bình', None), where='baocamau.vn (a5504)')
producer('huong-tram',
         'Chi nhánh Công ty TNHH dịch vụ lữ hành Cà Mau – nhà hàng sinh thái homestay Hương Tràm',
         'enterprise', 'huyện U Minh', SEAT_U_MINH)
producer('hang-vinh', 'HTX Bánh phồng tôm Hàng Vịnh – Năm Căn', 'cooperative', 'xã Hàng Vịnh, huyện Năm Căn',
         ('old', '32203', '971', 'Xã Hàng Vịnh', None), where="notes (the cooperative's name)")
producer('nong-san-viet', 'Cơ sở sản xuất Nông sản Việt', 'household', 'huyện Phước Long', SEAT_PHUOC_LONG)
producer('tom-viet', 'Công ty Cổ phần chế biến xuất khẩu Tôm Việt', 'enterprise', 'xã Vĩnh Trạch, TP Bạc Liêu',
         ('old', '31834', '954', 'Xã Vĩnh Trạch', None), where='notes (TP Bạc Liêu); xã: baocamau.vn (a115519)')
producer('kieu-hanh', 'Cơ sở Kiều Hạnh', 'household', 'huyện Vĩnh Lợi', SEAT_VINH_LOI)
producer('lam-vu', 'Cơ sở sản xuất Lâm Vũ', 'household', 'huyện Vĩnh Lợi', SEAT_VINH_LOI)
producer('hai-lien', 'Cơ sở Hải Liên', 'household', 'huyện Hòa Bình', SEAT_HOA_BINH)
producer('y-tam', 'Cơ sở Ý Tám', 'household', 'TX Giá Rai', SEAT_GIA_RAI)
producer('da-giau', 'Cơ sở Đa Giàu', 'household', 'TX Giá Rai', SEAT_GIA_RAI)
producer('son-ha', 'Cơ sở Sơn Hà', 'household', 'TP Bạc Liêu', SEAT_TP_BAC_LIEU, representative='Nguyễn Ngọc Sen')
producer('yen-sao-mai', 'Cơ sở Yến Sào Mai', 'household', 'TP Bạc Liêu', SEAT_TP_BAC_LIEU)

# --------------------------------------------------------------------------------------------------
# Products. 'rows' = row numbers in the notes (not exported). productSet = our guess (README).
# --------------------------------------------------------------------------------------------------

SRC_A = ('https://ocopvietnam.langngheviet.com.vn/ca-mau-co-2-san-pham-muoi-dat-ocop-5-sao-cap-quoc-gia-33384.html; '
         'https://baocamau.vn/ca-mau-lan-dau-co-2-san-pham-muoi-dat-ocop-5-sao-cap-quoc-gia-a120769.html; '
         'https://soha.vn/kho-vang-trang-mien-cuc-nam-dat-nuoc-bat-ngo-but-pha-lan-dau-cham-dinh-5-sao-quoc-gia-198260219103312763.htm')
SRC_B = ('https://baocamau.vn/phap-luat/cong-nhan-18-san-pham-ocop-4-sao-nam-2024-a36868.html; '
         'https://dantocmiennui.vn/ca-mau-them-18-san-pham-ocop-4-sao-post358328.html')
SRC_C = ('https://gocnhinonline.com/ca-mau-cong-nhan-26-san-pham-ocop-dot-ii-nam-2021/; '
         'https://ocopvietnam.langngheviet.com.vn/ca-mau-cong-nhan-26-san-pham-ocop-dat-tieu-chuan-3-sao-dot-2-nam-2021-27337.html')
SRC_47 = 'https://m.baophapluat.vn/ca-mau-dat-muc-tieu-nang-240-san-pham-dat-ocop-nam-2025-post547738'
SRC_48 = 'https://namcan.camau.gov.vn/kinh-te/chuong-trinh-ocop-co-hoi-quang-ba-san-pham-dac-trung-146505'
SRC_49 = 'https://vtcnews.vn/ca-mau-da-dang-cac-san-pham-ocop-tu-tom-ar837002.html; nongthon.vietnamtourism.gov.vn'
SRC_50 = 'https://ocopvietnam.langngheviet.com.vn/outstanding-quality-from-ca-mau-dried-seafood-27626.html'
SRC_51 = 'https://tintucmientay.baoangiang.com.vn/chuan-bi-dac-san-cung-ung-cho-festival-tom-a382621.html'
SRC_E1 = 'https://nongnghiep.vn/bac-lieu-co-11-san-pham-ocop-dat-3-4-sao-d258160.html'
SRC_E2 = ('https://nongnghiep.vn/bac-lieu-chat-luong-cua-cac-san-pham-ocop-la-yeu-to-hang-dau-d369561.html; '
          'https://www.vietnam.vn/pt/chu-tich-bac-lieu-yeu-cau-san-pham-ocop-can-dac-trung-tranh-trung-lap')
SRC_67 = 'https://kinhte.congthuong.vn/bac-lieu-10-san-pham-ocop-tu-hat-muoi-233693.html; vietnamleads.com'

NOTE_UP = 'Up from 3★ (the earlier rating is not in the notes).'
NOTE_NEW = 'New in round 2024.'
NOTE_E1 = 'Reported 25/02/2020; the evaluation round itself (possibly 2019) is not stated, so year = year of the report.'
NOTE_E2 = ('Year approximate: the source dates this Bạc Liêu 4★ round only as "after 4 years" of the programme '
           '(about 2023).')
NOTE_67 = ('Year not stated. One of 7 salt products rated 4★ for "Công ty cổ phần Muối và thương mại Bạc Liêu" '
           '(kinhte.congthuong.vn); the name comes from vietnamleads.com, which lists it for "Công ty CP muối '
           'Bạc Liêu, huyện Vĩnh Lợi".')
NOTE_SALT_5 = ('5★ in national round 1/2025 (Hội đồng OCOP Trung ương). Earlier 4★ (year not stated) as "{0}" of '
               '"Công ty cổ phần Muối và thương mại Bạc Liêu" (kinhte.congthuong.vn; vietnamleads.com; notes #67).')

R = []


def product(rows, name, producer_key, product_set, stars, year, source, note=None):
    R.append(dict(rows=rows, name=name, producerKey=producer_key, productSet=product_set, stars=stars,
                  year=year, source=source, note=note))


# A. 5★, national round 1/2025
product([1, 67], 'Muối tinh Bạc Liêu', 'muoi-bac-lieu', 10, 5, 2025, f'{SRC_A}; {SRC_67}',
        NOTE_SALT_5.format('muối tinh'))
product([2, 67], 'Muối hạt Bạc Liêu', 'muoi-bac-lieu', 10, 5, 2025, f'{SRC_A}; {SRC_67}',
        NOTE_SALT_5.format('muối hạt'))
# B. Cà Mau (old), 4★, round 2024 (announced 5-2-2025)
product([3], 'Bò viên', 'thuy-luc', 8, 4, 2024, SRC_B, NOTE_UP)
product([4], 'Bắp bò ngâm nước mắm', 'thuy-luc', 8, 4, 2024, SRC_B, NOTE_UP)
product([5, 43], 'Thực phẩm bổ sung vi chất dinh dưỡng Gạo lứt – Hạt sen An An', 'quach-tet', 6, 4, 2024,
        f'{SRC_B}; {SRC_C}', '3★ in round 2/2021 as "Bột gạo lứt – hạt sen"; 4★ in round 2024.')
product([6, 42], 'TPBS vi chất dinh dưỡng Gạo lứt – Đậu đen xanh lòng – Mè đen An An', 'quach-tet', 6, 4, 2024,
        f'{SRC_B}; {SRC_C}', '3★ in round 2/2021 as "Bột gạo lứt – đậu xanh – mè đen"; 4★ in round 2024.')
product([7, 44], 'TPBS vi chất dinh dưỡng Bột 5 loại đậu An An', 'quach-tet', 7, 4, 2024,
        f'{SRC_B}; {SRC_C}', '3★ in round 2/2021 as "Bột 5 loại đậu"; 4★ in round 2024.')
product([8], 'Rượu Hương lúa Xóm Dừa', 'nguyen-gia', 14, 4, 2024, SRC_B, NOTE_UP)
product([9, 45], 'Rượu nhàu', 'nguyen-gia', 15, 4, 2024, f'{SRC_B}; {SRC_C}',
        '3★ in round 2/2021; 4★ in round 2024.')
product([10], 'Tôm khô Trúc Thương', 'truc-thuong', 8, 4, 2024, SRC_B, NOTE_UP)
product([11], 'Tôm khô chà bông Trúc Thương', 'truc-thuong', 8, 4, 2024, SRC_B, NOTE_UP)
product([12], 'Ba khía muối nước mắm', 'ba-khia-dam-doi', 8, 4, 2024, SRC_B, NOTE_UP)
product([13, 25], 'Bánh phồng tôm Cái Bát', 'cai-bat', 8, 4, 2024, f'{SRC_B}; {SRC_C}',
        '3★ in round 2/2021 as "Bánh phồng tôm"; 4★ in round 2024.')
product([14, 51], 'Tôm khô nguyên vỏ', 'tan-phat-loi', 8, 4, 2024, f'{SRC_B}; {SRC_51}',
        'Up from 3★. We take the "Tôm khô" of HTX Tân Phát Lợi rated 3★ by 2023 (notes #51) to be this '
        "product's earlier rating; the sources do not say so.")
product([15], 'Tôm khô tách vỏ', 'tan-phat-loi', 8, 4, 2024, SRC_B, NOTE_NEW)
product([16], 'Bánh phồng hàu', 'tan-phat-loi', 8, 4, 2024, SRC_B, NOTE_NEW)
product([17], 'Yến chưng đường phèn', 'yen-sao-dat-mui', 8, 4, 2024, SRC_B, NOTE_NEW)
product([18], 'Tổ yến chưng sẵn dành cho trẻ em', 'yen-sao-dat-mui', 8, 4, 2024, SRC_B, NOTE_NEW)
product([19], 'Yến chưng đường ăn kiêng', 'yen-sao-dat-mui', 8, 4, 2024, SRC_B, NOTE_NEW)
product([20], 'Yến tinh chế', 'yen-sao-dat-mui', 4, 4, 2024, SRC_B, NOTE_NEW)
# C. Cà Mau (old), 3★, round 2/2021 (announced 30/03/2022); rows 25 and 42-45 are merged above
product([21], 'Rượu trái giác 5 Quốc', 'huynh-quoc-son', 15, 3, 2021, SRC_C)
product([22], 'Cam 3 Tình', 'ba-tinh', 1, 3, 2021, SRC_C)
product([23], 'Nước cốt trái nhàu nguyên chất SK NONI', 'sk-noni', 17, 3, 2021, SRC_C,
        'A 2025 report (vietnam.vn, 2nd Cà Mau Crab Festival) calls SK NONI juice 4★; that rating is not in '
        'the notes and is not used here.')
product([24], 'Mắm ruốc xào 9 Thúy', 'nong-thinh-phat', 9, 3, 2021, SRC_C)
product([26], 'Tôm khô', 'cai-bat', 8, 3, 2021, SRC_C)
product([27], 'Ghẹ sấy chua cay', 'minh-thao', 8, 3, 2021, SRC_C)
product([28], 'Cá cơm sấy giòn', 'minh-thao', 8, 3, 2021, SRC_C)
product([29], 'Ghẹ xay', 'minh-thao', 8, 3, 2021, SRC_C)
product([30], 'Bánh phồng ghẹ', 'minh-thao', 8, 3, 2021, SRC_C)
product([31], 'Mắm tôm Sông Đầm', 'song-dam', 8, 3, 2021, SRC_C)
product([32], 'Tôm sú – thẻ ép', 'song-dam', 8, 3, 2021, SRC_C)
product([33], 'Tôm khô', 'ngoc-giau', 8, 3, 2021, SRC_C)
product([34], 'Khô cá kèo', 'ngoc-giau', 8, 3, 2021, SRC_C)
product([35], 'Chả tôm', 'ngoc-giau', 8, 3, 2021, SRC_C)
product([36], 'Nha đam Cô Ba Gần', 'co-ba-gan', 7, 3, 2021, SRC_C)
product([37], 'Bánh phồng tôm', 'hong-hoa', 8, 3, 2021, SRC_C)
product([38], 'Bánh phồng chuối', 'hong-hoa', 7, 3, 2021, SRC_C)
product([39], 'Chà bông tôm', 'tai-thinh-phat', 8, 3, 2021, SRC_C)
product([40], 'Chả tôm sinh thái', 'tai-thinh-phat', 8, 3, 2021, SRC_C)
product([41], 'Mắm lóc Thới Bình', 'yen-khoa', 8, 3, 2021, SRC_C)
product([46], 'Rượu đông trùng hạ thảo', 'nguyen-gia', 15, 3, 2021, SRC_C)
# D. Other Cà Mau items with a stated rating
product([47], 'Điểm du lịch sinh thái – Homestay Hương Tràm (U Minh)', 'huong-tram', 26, 3, 2024, SRC_47,
        'The first tourism OCOP product of the province, per the source.')
product([48], 'Bánh phồng tôm', 'hang-vinh', 8, 3, 2024, SRC_48,
        'Year approximate (c. 2024). Recognised by UBND huyện Năm Căn.')
product([49], 'Tôm khô sinh thái', 'tai-thinh-phat', 8, 3, 2023, SRC_49,
        'Rated 3★ by 2023 (report of 28/11/2023); the round is not stated.')
product([50], 'Tôm rang me', 'ngoc-giau', 8, 3, 2020, SRC_50,
        'The source names the producer "Cơ sở chế biến khô Ngọc Giàu" (Trương Ngọc Giàu).')
product([51], 'Bánh phồng tôm', 'tan-phat-loi', 8, 3, 2023, SRC_51,
        'Rated 3★ by 2023; the round is not stated.')
# E. Bạc Liêu (old), round reported 25/02/2020
product([52], 'Bánh phồng chuối', 'nong-san-viet', 7, 4, 2020, SRC_E1, NOTE_E1)
product([53], 'Bánh phồng sữa', 'nong-san-viet', 6, 4, 2020, SRC_E1, NOTE_E1)
product([54], 'Tôm thẻ nguyên con tươi đông lạnh', 'tom-viet', 2, 4, 2020, SRC_E1, NOTE_E1)
product([55], 'Tôm sú nguyên con tươi đông lạnh', 'tom-viet', 2, 4, 2020, SRC_E1, NOTE_E1)
product([56], 'Tôm thẻ hấp/luộc nguyên con tươi đông lạnh', 'tom-viet', 8, 4, 2020, SRC_E1, NOTE_E1)
product([57], 'Tôm sú hấp/luộc nguyên con tươi đông lạnh', 'tom-viet', 8, 4, 2020, SRC_E1, NOTE_E1)
product([58], 'Khô cá kèo', 'kieu-hanh', 8, 3, 2020, SRC_E1, NOTE_E1)
product([59], 'Rượu vang Sơ ri Vallentina', 'lam-vu', 15, 3, 2020, SRC_E1, NOTE_E1)
product([60], 'Tôm đất khô', 'hai-lien', 8, 3, 2020, SRC_E1, NOTE_E1)
product([61], 'Bánh phồng tôm Ý Tám', 'y-tam', 8, 3, 2020, SRC_E1, NOTE_E1)
product([62], 'Tôm khô Đa Giàu', 'da-giau', 8, 3, 2020, SRC_E1, NOTE_E1)
# E. Bạc Liêu (old), a later 4★ round (about 2023): rows 63-66 = 17 products of 3 producers
for name, pset in [
    ('Khô tôm đất', 8), ('Khô tôm thẻ', 8), ('Khô tôm bạc', 8), ('Chà bông tôm', 8), ('Tôm chao', 8),
    ('Tôm sấy sốt me', 8), ('Tôm sấy sốt trứng muối', 8), ('Bánh gạo mè đen', 6),
    ('Bánh gạo chà bông sốt me', 6), ('Bánh gạo chà bông trứng muối', 6), ('Bánh phồng rau củ quả', 7),
    ('Muối tôm', 10),
]:
    product([63], name, 'nong-san-viet', pset, 4, 2023, SRC_E2, NOTE_E2)
for name in ['Chả lụa', 'Chả lụa gân', 'Chả chiên']:
    product([64], name, 'son-ha', 8, 4, 2023, SRC_E2, f'{NOTE_E2} Brand: chả lụa Sơn Hà.')
product([65], 'Bánh phồng tôm', 'nong-san-viet', 8, 4, 2023, SRC_E2,
        f'Re-recognised in this round; the first recognition is not in the notes. {NOTE_E2}')
product([66], 'Tổ yến sơ chế', 'yen-sao-mai', 4, 4, 2023, SRC_E2,
        f'Re-recognised in this round; the first recognition is not in the notes. {NOTE_E2}')
# E. Salt (row 67): muối tinh and muối hạt are merged into the 5★ entries above; the 7th product is unnamed
for name in ['Muối I-ốt', 'Muối tiêu', 'Muối ớt', 'Muối tôm']:
    product([67], name, 'muoi-bac-lieu', 10, 4, None, SRC_67, NOTE_67)

# --------------------------------------------------------------------------------------------------
# Province-level totals (the notes' first table). null = not stated.
# --------------------------------------------------------------------------------------------------


def total(when, scope, area, products, producers, s5, s4, s3, note, source):
    return dict(when=when, scope=scope, area=area, products=products, producers=producers,
                stars5=s5, stars4=s4, stars3=s3, note=note, source=source)


TOTALS = [
    total('2020', 'Cà Mau (old)', 'ca-mau-old', 33, None, None, 3, 30, None,
          'infonet.vietnamnet.vn (2021 article on round 1/2021)'),
    total('2021', 'Cà Mau (old)', 'ca-mau-old', 77, 44, None, None, None, None,
          'tepbac.com "Đặc sản nức tiếng Cà Mau lên sàn OCOP"'),
    total('Nov 2023', 'Cà Mau (old)', 'ca-mau-old', 137, None, None, None, None,
          '53 of them (22 producers) made from shrimp',
          'https://vtcnews.vn/ca-mau-da-dang-cac-san-pham-ocop-tu-tom-ar837002.html'),
    total('End 2023', 'Cà Mau (old)', 'ca-mau-old', None, None, 0, 32, None, None,
          'nongthon.vietnamtourism.gov.vn (Ca Mau strives to upgrade OCOP products to 5 stars)'),
    total('End 2024', 'Cà Mau (old)', 'ca-mau-old', 191, None, 0, 47, 144, None,
          'https://m.baophapluat.vn/ca-mau-dat-muc-tieu-nang-240-san-pham-dat-ocop-nam-2025-post547738'),
    total('2019–2024', 'Bạc Liêu (old)', 'bac-lieu-old', 160, 79, None, 32, 128, None,
          'phapluatplus.baophapluat.vn (10/05/2025)'),
    total('2024 round', 'Bạc Liêu (old)', 'bac-lieu-old', 55, None, None, 7, 46,
          'Recognised or re-recognised; 2 more products were sent for 5★',
          'vietnamleads.com; phapluatplus.baophapluat.vn'),
    total('2025', 'Cà Mau (merged)', 'ca-mau-merged', 352, 173, 2, 77, 273, None,
          'thongtin.vietnam.vn "Gắn 5 sao OCOP cho con tôm, cua Cà Mau"; haiphong.dms.gov.vn'),
    total('2025–26', 'Cà Mau (merged)', 'ca-mau-merged', 354, None, 2, 79, 273, None,
          'https://baocamau.vn/ca-mau-lan-dau-co-2-san-pham-muoi-dat-ocop-5-sao-cap-quoc-gia-a120769.html '
          '(via thongtin.vietnam.vn)'),
    total('Round 2025, valid 36 months from 05/02/2026', 'Cà Mau (merged)', 'ca-mau-merged', 32, None, None, 3, 29,
          'New recognitions: 3 products (2 producers) at 4★ and 29 products (11 producers) at 3★; the excerpt '
          'does not name them',
          'ocopvietnam.langngheviet.com.vn (…-35640.html)'),
]

# --------------------------------------------------------------------------------------------------


def main():
    keys = [p['key'] for p in P]
    if len(keys) != len(set(keys)):
        die('duplicate producer key')
    names = [p['legalName'] for p in P]
    if len(names) != len(set(names)):
        die('duplicate legal name')
    producers = []
    for p in P:
        old, new, conf = locate(p['loc'])
        if new not in CUR:
            die(f'{p["key"]}: {new} is not a 2025 commune of province 96')
        producers.append(dict(key=p['key'], legalName=p['legalName'], legalType=p['legalType'],
                              address=p['address'], oldCommuneCode=old, communeCode=new,
                              communeConfidence=conf, representative=p['representative'], phone=None))
    seen = set()
    products = []
    for r in R:
        if r['producerKey'] not in keys:
            die(f'unknown producer {r["producerKey"]}')
        ident = (r['producerKey'], r['name'])
        if ident in seen:
            die(f'duplicate product {ident}')
        seen.add(ident)
        products.append({k: r[k] for k in ('name', 'producerKey', 'productSet', 'stars', 'year', 'source', 'note')})
    used = {r['producerKey'] for r in R}
    if used != set(keys):
        die(f'producers without products: {set(keys) - used}')
    data = dict(demo=True,
                source='Research notes shared/reference/demo/ca-mau-ocop-products.md (compiled 2026-11-29 from '
                       'press reports of OCOP decisions, not from the decisions themselves). DEMO data: do not '
                       'show as official fact. See data/demo/README.md.',
                compiledOn='2026-11-29', provinceCode='96', producers=producers, products=products,
                totals=TOTALS)
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write('\n')
    conf = {}
    for p in producers:
        conf[p['communeConfidence']] = conf.get(p['communeConfidence'], 0) + 1
    stars = {}
    for r in products:
        stars[r['stars']] = stars.get(r['stars'], 0) + 1
    print(f'{len(producers)} producers, {len(products)} products, stars {dict(sorted(stars.items()))}, '
          f'communes {conf}')


if __name__ == '__main__':
    main()
