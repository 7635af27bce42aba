import { defineMessages } from '../../platform/i18n/index.ts';

export const portalMessages = defineMessages(
  {
    'portal.home.title': 'Nền tảng số cho Chương trình OCOP',
    'portal.home.lead':
      'Một nơi cho cả chương trình Mỗi xã một sản phẩm: chủ thể và sản phẩm, hồ sơ nộp trực tuyến, hội đồng chấm điểm theo bộ tiêu chí chính thức, giấy chứng nhận có hạn và có thể kiểm tra, truy xuất nguồn gốc theo chuẩn GS1 bằng mã QR.',
    'portal.home.description':
      'Phần mềm mã nguồn mở quản lý Chương trình OCOP của tỉnh: hồ sơ, chấm điểm, xếp hạng sao, chứng nhận và truy xuất nguồn gốc.',
    'portal.home.available': 'Đã có',
    'portal.home.coming': 'Đang xây dựng',
    'portal.home.partsHeading': 'Các phần của nền tảng',
    'portal.home.audienceHeading': 'Dành cho ai',
    'portal.part.adminUnits.title': 'Đơn vị hành chính',
    'portal.part.adminUnits.body': '34 tỉnh, 3.321 xã từ 1/7/2025, đơn vị trước sáp nhập và quan hệ kế thừa.',
    'portal.part.api.title': 'API cho hệ thống khác',
    'portal.part.api.body':
      'API JSON có tài liệu OpenAPI 3.1 để kết nối cơ sở dữ liệu OCOP quốc gia và đối tác.',
    'portal.part.registry.title': 'Chủ thể, sản phẩm và hồ sơ',
    'portal.part.registry.body':
      'Đăng ký chủ thể và sản phẩm, nộp hồ sơ trực tuyến, UBND xã kiểm tra và chuyển tỉnh.',
    'portal.part.evaluation.title': 'Chấm điểm và xếp hạng sao',
    'portal.part.evaluation.body':
      'Hội đồng chấm trên phiếu chính thức của Quyết định 26/2026/QĐ-TTg; hệ thống tính hạng sao.',
    'portal.part.certificates.title': 'Giấy chứng nhận và xác minh',
    'portal.part.certificates.body':
      'Hiệu lực 36 tháng, nhắc đánh giá lại, thu hồi; ai cũng kiểm tra được bằng mã QR.',
    'portal.part.traceability.title': 'Truy xuất nguồn gốc GS1',
    'portal.part.traceability.body':
      'Lô sản xuất, sự kiện EPCIS 2.0, mã QR GS1 Digital Link trên từng sản phẩm.',
    'portal.audience.province':
      'Văn phòng Điều phối OCOP tỉnh: tổ chức đánh giá, quản lý danh mục và chứng nhận, theo dõi chỉ tiêu.',
    'portal.audience.commune': 'UBND xã: tiếp nhận, kiểm tra hồ sơ và chuyển lên tỉnh.',
    'portal.audience.council': 'Hội đồng và tổ tư vấn: chấm điểm trên phiếu chính thức, ký kết quả.',
    'portal.audience.producer': 'Chủ thể OCOP: đăng ký, lập hồ sơ, tự đánh giá, ghi nhận lô hàng, in tem QR.',
    'portal.audience.consumer':
      'Người tiêu dùng và du khách: quét mã QR để biết sản phẩm có thật là OCOP, mấy sao, còn hiệu lực không.',
  },
  {
    'portal.home.title': 'The digital platform for the OCOP programme',
    'portal.home.lead':
      "One place for the whole One Commune One Product programme: producers and products, dossiers submitted online, councils scoring on the official criteria, certificates that expire and can be checked, and GS1 traceability behind every product's QR code.",
    'portal.home.description':
      "Open-source software to run a province's OCOP programme: dossiers, scoring, star rating, certificates and traceability.",
    'portal.home.available': 'Available',
    'portal.home.coming': 'Being built',
    'portal.home.partsHeading': 'Parts of the platform',
    'portal.home.audienceHeading': 'Who it is for',
    'portal.part.adminUnits.title': 'Administrative units',
    'portal.part.adminUnits.body':
      'The 34 provinces and 3,321 communes since 1 July 2025, the units before the merger, and who succeeded whom.',
    'portal.part.api.title': 'API for other systems',
    'portal.part.api.body':
      'A JSON API documented in OpenAPI 3.1, for the national OCOP database and partners.',
    'portal.part.registry.title': 'Producers, products and dossiers',
    'portal.part.registry.body':
      'Register producers and products, submit dossiers online; communes check them and forward to the province.',
    'portal.part.evaluation.title': 'Scoring and star rating',
    'portal.part.evaluation.body':
      'Councils score on the official forms of Decision 26/2026/QĐ-TTg; the platform computes the stars.',
    'portal.part.certificates.title': 'Certificates and verification',
    'portal.part.certificates.body':
      '36-month validity, re-evaluation reminders, revocation; anyone can check one from its QR code.',
    'portal.part.traceability.title': 'GS1 traceability',
    'portal.part.traceability.body':
      'Batches, EPCIS 2.0 events and a GS1 Digital Link QR code on every product.',
    'portal.audience.province':
      'The provincial OCOP office: runs evaluation rounds, keeps the registry and certificates, tracks targets.',
    'portal.audience.commune': 'Commune officers: receive and check dossiers, forward them to the province.',
    'portal.audience.council': 'Councils and advisory groups: score on the official form, sign the results.',
    'portal.audience.producer':
      'OCOP producers: register, build the dossier, self-assess, record batches, print QR labels.',
    'portal.audience.consumer':
      'Shoppers and tourists: scan a QR code to see whether a product is genuinely OCOP, how many stars, valid today.',
  },
);
