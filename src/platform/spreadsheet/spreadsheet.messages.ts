/**
 * Messages of the spreadsheet import/export: `errors.<code>` for each DomainError code that
 * read.ts and encoding.ts throw, `validation.<rule>` for the value rules of values.ts that the
 * platform catalogue does not already have (required, minimum, maximum, maxLength, invalid), and
 * the warning to show when a CSV was decoded from a legacy encoding.
 */
import { defineMessages } from '../i18n/index.ts';

export const spreadsheetMessages = defineMessages(
  {
    'errors.spreadsheet_empty':
      'Tệp không có dữ liệu: không tìm thấy dòng tiêu đề cột. Dòng đầu tiên có nội dung của trang tính phải là dòng tên các cột.',
    'errors.spreadsheet_bad_header':
      'Dòng tiêu đề (dòng {row}) có lỗi ở cột {column}: tên cột bị trống, trùng với tên một cột khác, hoặc cột có dữ liệu nhưng không có tên. Hãy đặt cho mỗi cột có dữ liệu một tên riêng, không trùng nhau, rồi tải tệp lên lại.',
    'errors.spreadsheet_merged_header':
      'Dòng tiêu đề có ô bị gộp ({cells}). Hãy chọn các ô đó, bỏ gộp (Trang đầu → Gộp và Căn giữa → Bỏ gộp ô), ghi tên từng cột vào một ô riêng trên cùng một dòng, rồi tải tệp lên lại. Nếu phía trên bảng có dòng tên biểu mẫu, hãy xoá đi để dòng đầu tiên của trang tính là dòng tên cột.',
    'errors.spreadsheet_too_many_rows':
      'Tệp có nhiều hơn {max} dòng dữ liệu. Hãy chia thành nhiều tệp, mỗi tệp không quá {max} dòng, rồi tải lên lần lượt.',
    'errors.spreadsheet_sheet_not_found':
      'Tệp không có trang tính “{sheet}”. Các trang tính trong tệp: {available}.',
    'errors.spreadsheet_xls_unsupported':
      'Tệp “{file}” là tệp Excel đời cũ (.xls) hoặc tệp có đặt mật khẩu, hệ thống không đọc được. Hãy mở tệp trong Excel, bỏ mật khẩu nếu có, chọn Tệp → Lưu thành → Sổ làm việc Excel (*.xlsx), rồi tải tệp mới lên.',
    'errors.spreadsheet_unsupported_format':
      'Tệp “{file}” không phải bảng tính Excel (.xlsx) hay tệp CSV. Nếu tệp được xuất từ một phần mềm khác, hãy mở tệp trong Excel rồi chọn Tệp → Lưu thành → Sổ làm việc Excel (*.xlsx) hoặc CSV UTF-8.',
    'errors.spreadsheet_unreadable':
      'Không đọc được tệp “{file}”: tệp bị hỏng hoặc không phải tệp Excel .xlsx. Hãy mở tệp trong Excel, chọn Tệp → Lưu thành → Sổ làm việc Excel (*.xlsx), rồi tải tệp mới lên.',
    'errors.csv_malformed':
      'Tệp CSV bị lỗi từ dòng {row}: có dấu ngoặc kép (") mở ra mà không đóng lại. Hãy sửa ô có dấu ngoặc kép ở dòng đó, hoặc mở tệp trong Excel và lưu lại thành CSV UTF-8.',
    'errors.csv_legacy_encoding':
      'Tệp CSV dùng bảng mã cũ {encoding} nên hệ thống không đọc đúng được chữ tiếng Việt. Hãy chuyển văn bản sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey, từ {encoding} sang Unicode), rồi trong Excel chọn Tệp → Lưu thành → CSV UTF-8 (phân tách bằng dấu phẩy) (*.csv) và tải tệp mới lên.',
    'errors.csv_unknown_encoding':
      'Tệp CSV không phải UTF-8 và hệ thống không nhận ra bảng mã của tệp. Trong Excel chọn Tệp → Lưu thành → CSV UTF-8 (phân tách bằng dấu phẩy) (*.csv), rồi tải tệp mới lên.',
    'spreadsheet.legacyEncodingWarning':
      'Tệp CSV không được lưu ở dạng UTF-8; hệ thống đã đọc theo bảng mã {encoding}. Hãy kiểm tra kỹ các chữ có dấu trong bản xem trước. Lần sau, trong Excel hãy chọn Lưu thành → CSV UTF-8.',
    'validation.date':
      'Không phải ngày hợp lệ. Hãy ghi theo dạng ngày/tháng/năm, năm đủ 4 chữ số, ví dụ 25/03/2024',
    'validation.dateRange': 'Ngày phải nằm trong khoảng từ {min} đến {max}',
    'validation.integer': 'Phải là số nguyên, ví dụ 1200 hoặc 1.200',
    'validation.decimal': 'Phải là một số, ví dụ 1.234,5 hoặc 12,75',
    'validation.boolean': 'Phải là “Có” hoặc “Không” (hoặc “x” để đánh dấu)',
    'errors.spreadsheet_too_large':
      'Bảng tính “{file}” khi giải nén lớn hơn {limit} MB: hãy chia thành các tệp nhỏ hơn.',
  },
  {
    'errors.spreadsheet_empty':
      'The file has no data: no header row was found. The first row with content in the sheet must hold the column names.',
    'errors.spreadsheet_bad_header':
      'The header row (row {row}) has a problem in column {column}: the column name is blank, repeats another column’s name, or the column has data but no name. Give every column that has data a name of its own, then upload the file again.',
    'errors.spreadsheet_merged_header':
      'The header row has merged cells ({cells}). Select them, unmerge them (Home → Merge & Center → Unmerge Cells), put each column name in its own cell on one row, then upload the file again. If a form title sits above the table, delete it so that the first row of the sheet holds the column names.',
    'errors.spreadsheet_too_many_rows':
      'The file has more than {max} data rows. Split it into several files of at most {max} rows each and upload them one after the other.',
    'errors.spreadsheet_sheet_not_found': 'The file has no sheet “{sheet}”. Its sheets are: {available}.',
    'errors.spreadsheet_xls_unsupported':
      '“{file}” is an old-style Excel file (.xls) or a password-protected one, which cannot be read. Open it in Excel, remove any password, choose File → Save As → Excel Workbook (*.xlsx), then upload the new file.',
    'errors.spreadsheet_unsupported_format':
      '“{file}” is neither an Excel workbook (.xlsx) nor a CSV file. If another program exported it, open it in Excel and choose File → Save As → Excel Workbook (*.xlsx) or CSV UTF-8.',
    'errors.spreadsheet_unreadable':
      '“{file}” cannot be read: it is damaged or is not an .xlsx workbook. Open it in Excel, choose File → Save As → Excel Workbook (*.xlsx), then upload the new file.',
    'errors.csv_malformed':
      'The CSV file is broken from row {row} on: a double quote (") opens and never closes. Fix the cell with the quote on that row, or open the file in Excel and save it again as CSV UTF-8.',
    'errors.csv_legacy_encoding':
      'The CSV file uses the old {encoding} encoding, so its Vietnamese text cannot be read correctly. Convert the text to Unicode (for instance with Unikey’s converter, from {encoding} to Unicode), then in Excel choose File → Save As → CSV UTF-8 (Comma delimited) (*.csv) and upload the new file.',
    'errors.csv_unknown_encoding':
      'The CSV file is not UTF-8 and its encoding could not be recognised. In Excel choose File → Save As → CSV UTF-8 (Comma delimited) (*.csv), then upload the new file.',
    'spreadsheet.legacyEncodingWarning':
      'The CSV file was not saved as UTF-8; it was read as {encoding}. Check the accented letters in the preview carefully. Next time, in Excel choose Save As → CSV UTF-8.',
    'validation.date': 'Not a valid date. Write it as day/month/year with a four-digit year, e.g. 25/03/2024',
    'validation.dateRange': 'The date must be between {min} and {max}',
    'validation.integer': 'Must be a whole number, e.g. 1200 or 1.200',
    'validation.decimal': 'Must be a number, e.g. 1.234,5 or 12,75',
    'validation.boolean': 'Must be “Có” (yes) or “Không” (no), or “x” to tick',
    'errors.spreadsheet_too_large':
      'The spreadsheet “{file}” unpacks to more than {limit} MB: split it into smaller files.',
  },
);
