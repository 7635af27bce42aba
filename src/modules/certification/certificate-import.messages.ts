import { defineMessages } from '../../platform/i18n/index.ts';

/** Messages of the import of certificates already issued (vi first, en second). */
export const certificateImportMessages = defineMessages(
  {
    'certificateImport.replaces':
      '{count} giấy chứng nhận đang còn hiệu lực trong sổ sẽ được thay thế (phân hạng lại, nâng hạng) — hãy kiểm tra đúng sản phẩm trước khi ghi:',
    'certificateImport.replacesRow':
      'dòng {row} thay thế GCN số {number} ({stars} sao, hiệu lực đến {until})',
    'certificateImport.title': 'Nhập giấy chứng nhận đã cấp',
    'certificateImport.intro':
      'Nhập các giấy chứng nhận OCOP tỉnh đã cấp (từ năm 2019) từ tệp Excel (.xlsx) hoặc CSV. Hệ thống kiểm tra toàn bộ tệp trước (chạy thử, chưa ghi gì); chỉ khi không còn lỗi mới ghi vào sổ, tất cả cùng lúc. Sản phẩm phải có sẵn trong sổ đăng ký.',
    'certificateImport.file': 'Tệp .xlsx hoặc CSV',
    'certificateImport.fileHint': 'Dòng đầu là tiêu đề cột. Tối đa {limit} MB.',
    'certificateImport.check': 'Kiểm tra (chạy thử)',
    'certificateImport.commit': 'Ghi vào sổ',
    'certificateImport.columns': 'Các cột hệ thống nhận ra (* bắt buộc)',
    'certificateImport.columnsHint':
      'Sản phẩm được nhận ra theo mã số sản phẩm; nếu không có mã thì theo số ĐKKD hoặc mã số thuế của chủ thể cùng tên sản phẩm. Thiếu cột cấp công nhận: 5 sao là cấp trung ương, còn lại cấp tỉnh. Thiếu ngày cấp: lấy ngày quyết định. Thiếu ngày hết hạn: 36 tháng kể từ ngày cấp.',
    'certificateImport.fileSummary': '{rows} dòng dữ liệu, {columns} cột.',
    'certificateImport.legacyEncoding':
      'Tệp dùng bảng mã cũ ({encoding}) và đã được chuyển sang Unicode: hãy kiểm tra dấu tiếng Việt.',
    'certificateImport.committed':
      'Đã ghi vào sổ: {create} giấy chứng nhận mới; {unchanged} giấy đã có trong sổ, giữ nguyên.',
    'certificateImport.hasProblems':
      'Có {count} lỗi cần sửa (chưa ghi gì). Sửa tệp và tải lên lại, hoặc đổi cách ghép cột rồi kiểm tra lại.',
    'certificateImport.dryRunOk':
      'Không có lỗi: sẽ ghi {create} giấy chứng nhận mới; {unchanged} giấy đã có trong sổ, giữ nguyên.',
    'certificateImport.row': 'Dòng',
    'certificateImport.column': 'Cột',
    'certificateImport.problem': 'Lỗi',
    'certificateImport.moreProblems': 'Chỉ hiện {shown} lỗi đầu trong số {count}.',
    'certificateImport.sameAsRow': '(trùng với dòng {row} của tệp)',
    'certificateImport.mapping': 'Ghép cột trong tệp với thông tin',
    'certificateImport.notInFile': '(không có trong tệp)',
    'certificateImport.another': 'Nhập tệp khác',
    'certificateImport.seeList': 'Xem sổ giấy chứng nhận',
    'certificateImport.field.number': 'Số giấy chứng nhận',
    'certificateImport.field.productCode': 'Mã số sản phẩm',
    'certificateImport.field.productName': 'Tên sản phẩm',
    'certificateImport.field.producerName': 'Chủ thể',
    'certificateImport.field.registrationNumber': 'Số ĐKKD của chủ thể',
    'certificateImport.field.taxCode': 'Mã số thuế của chủ thể',
    'certificateImport.field.stars': 'Hạng sao',
    'certificateImport.field.score': 'Điểm đánh giá',
    'certificateImport.field.level': 'Cấp công nhận (tỉnh, huyện, trung ương)',
    'certificateImport.field.decisionNumber': 'Số quyết định',
    'certificateImport.field.decisionDate': 'Ngày quyết định',
    'certificateImport.field.decisionSigner': 'Người ký',
    'certificateImport.field.issuedOn': 'Ngày cấp',
    'certificateImport.field.validUntil': 'Có giá trị đến',
    'certificateImport.field.validityReason': 'Lý do thời hạn khác 36 tháng',
    'validation.certificateProductUnknown':
      'Sản phẩm “{name}” chưa có trong sổ đăng ký: hãy nhập sản phẩm trước bằng chức năng nhập danh sách sản phẩm',
    'validation.certificateProductAmbiguous':
      'Chủ thể có {count} sản phẩm cùng tên này: hãy ghi mã số sản phẩm',
    'validation.certificateNumberTaken':
      'Số giấy chứng nhận {number} đã dùng cho một giấy chứng nhận khác cùng tỉnh và cùng cấp công nhận',
    'validation.certificateLevel': 'Không rõ cấp công nhận: ghi “tỉnh”, “huyện” hoặc “trung ương”',
  },
  {
    'certificateImport.replaces':
      '{count} certificates in force in the register will be replaced (re-evaluation, upgrade) — check these are the right products before recording:',
    'certificateImport.replacesRow':
      'row {row} replaces certificate {number} ({stars} stars, valid through {until})',
    'certificateImport.title': 'Import certificates already issued',
    'certificateImport.intro':
      'Import the OCOP certificates the province already issued (since 2019) from an Excel (.xlsx) or CSV file. The whole file is checked first (a dry run, nothing written); only when no problem is left is it written to the register, all at once. The products must already be in the registry.',
    'certificateImport.file': '.xlsx or CSV file',
    'certificateImport.fileHint': 'The first row holds the column headings. At most {limit} MB.',
    'certificateImport.check': 'Check (dry run)',
    'certificateImport.commit': 'Write to the register',
    'certificateImport.columns': 'Columns recognised (* required)',
    'certificateImport.columnsHint':
      'A product is found by its product code, or else by its producer’s registration number or tax code together with the product’s name. Without a level column: 5★ is central, the rest province. Without an issue date: the decision’s date. Without an end date: 36 months from issue.',
    'certificateImport.fileSummary': '{rows} data rows, {columns} columns.',
    'certificateImport.legacyEncoding':
      'The file uses a legacy encoding ({encoding}) and was converted to Unicode: check the Vietnamese diacritics.',
    'certificateImport.committed':
      'Written to the register: {create} new certificates; {unchanged} already there, left as they were.',
    'certificateImport.hasProblems':
      '{count} problems to fix (nothing written). Fix the file and upload it again, or change the column mapping and check again.',
    'certificateImport.dryRunOk':
      'No problems: {create} new certificates will be written; {unchanged} are already in the register and stay as they are.',
    'certificateImport.row': 'Row',
    'certificateImport.column': 'Column',
    'certificateImport.problem': 'Problem',
    'certificateImport.moreProblems': 'Showing the first {shown} of {count} problems.',
    'certificateImport.sameAsRow': '(same as row {row} of the file)',
    'certificateImport.mapping': 'Match the file’s columns to the fields',
    'certificateImport.notInFile': '(not in the file)',
    'certificateImport.another': 'Import another file',
    'certificateImport.seeList': 'See the certificate register',
    'certificateImport.field.number': 'Certificate number',
    'certificateImport.field.productCode': 'Product code',
    'certificateImport.field.productName': 'Product name',
    'certificateImport.field.producerName': 'Producer',
    'certificateImport.field.registrationNumber': 'Producer’s business registration number',
    'certificateImport.field.taxCode': 'Producer’s tax code',
    'certificateImport.field.stars': 'Stars',
    'certificateImport.field.score': 'Score',
    'certificateImport.field.level': 'Level (province, district, central)',
    'certificateImport.field.decisionNumber': 'Decision number',
    'certificateImport.field.decisionDate': 'Decision date',
    'certificateImport.field.decisionSigner': 'Signed by',
    'certificateImport.field.issuedOn': 'Issued on',
    'certificateImport.field.validUntil': 'Valid until',
    'certificateImport.field.validityReason': 'Reason for a period other than 36 months',
    'validation.certificateProductUnknown':
      'Product “{name}” is not in the registry: import the product first through the registry import',
    'validation.certificateProductAmbiguous':
      'The producer has {count} products of this name: give the product code',
    'validation.certificateNumberTaken':
      'Certificate number {number} is used by another certificate of the same province and level',
    'validation.certificateLevel':
      'Unknown level: write “tỉnh” (province), “huyện” (district) or “trung ương” (central)',
  },
);
