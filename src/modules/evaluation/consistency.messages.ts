import { defineMessages } from '../../platform/i18n/index.ts';

/** Messages of the council consistency charts (consistency.charts.tsx): vi first, en second. */
export const consistencyMessages = defineMessages(
  {
    'consistency.tendency.lenient': 'chấm thoáng',
    'consistency.tendency.severe': 'chấm chặt',
    'consistency.tendency.consistent': 'nhất quán',
    'consistency.deviation.title': 'Độ lệch điểm của từng thành viên so với trung bình Hội đồng',
    'consistency.deviation.desc':
      '{members} thành viên: {lenient} chấm thoáng, {severe} chấm chặt, {consistent} nhất quán (ngưỡng ±{threshold} điểm). Độ lệch là tổng điểm của thành viên trừ điểm trung bình của các thành viên trên cùng sản phẩm, tính trung bình trên các sản phẩm đã chấm.',
    'consistency.deviation.item': '{name}: {value} điểm, {tendency}, {products} sản phẩm.',
    'consistency.deviation.severeSide': '← Chấm chặt hơn trung bình',
    'consistency.deviation.lenientSide': 'Chấm thoáng hơn trung bình →',
    'consistency.deviation.thresholdNote': 'Đường nét đứt: ngưỡng ±{threshold} điểm',
    'consistency.deviation.empty':
      'Chưa đủ dữ liệu để so sánh các thành viên: cần ít nhất một sản phẩm có từ hai phiếu chấm.',
    'consistency.spread.title': 'Phân bố độ chênh lệch tổng điểm giữa các thành viên',
    'consistency.spread.desc':
      '{products} sản phẩm. Độ chênh lệch trung vị {median} điểm, lớn nhất {max} điểm; {above} sản phẩm vượt ngưỡng {limit} điểm.',
    'consistency.spread.bin': 'Từ {from} đến dưới {to} điểm: {count} sản phẩm.',
    'consistency.spread.limit': 'Ngưỡng {limit} điểm · vượt ngưỡng: {count} sản phẩm',
    'consistency.spread.axisX': 'Độ chênh lệch (tổng điểm cao nhất − thấp nhất)',
    'consistency.spread.axisY': 'Số sản phẩm',
    'consistency.spread.empty': 'Chưa có sản phẩm nào có từ hai phiếu chấm để tính độ chênh lệch.',
    'consistency.disagreement.title': 'Các tiêu chí được chấm khác nhau nhiều nhất',
    'consistency.disagreement.desc':
      '{criteria} tiêu chí được từ hai thành viên trở lên chấm; biểu đồ hiển thị {shown} tiêu chí có tỷ lệ sản phẩm chấm khác nhau cao nhất.',
    'consistency.disagreement.item':
      'Tiêu chí {criterion}: {rate} ({disagreements}/{products} sản phẩm chấm khác nhau), chênh lệch trung bình {range} điểm.',
    'consistency.disagreement.axisX': 'Tỷ lệ sản phẩm mà các thành viên chấm khác nhau',
    'consistency.disagreement.axisY': 'Tiêu chí',
    'consistency.disagreement.empty':
      'Chưa có tiêu chí nào được từ hai thành viên trở lên chấm trên cùng một sản phẩm.',
  },
  {
    'consistency.tendency.lenient': 'lenient',
    'consistency.tendency.severe': 'severe',
    'consistency.tendency.consistent': 'consistent',
    'consistency.deviation.title': "Each member's deviation from the council mean",
    'consistency.deviation.desc':
      'Members: {members} ({lenient} lenient, {severe} severe, {consistent} consistent; threshold ±{threshold} points). The deviation is the member’s total minus the mean of all the members’ totals on the same product, averaged over the products they scored.',
    'consistency.deviation.item': '{name}: {value} points, {tendency}, products scored: {products}.',
    'consistency.deviation.severeSide': '← Stricter than the mean',
    'consistency.deviation.lenientSide': 'More lenient than the mean →',
    'consistency.deviation.thresholdNote': 'Dashed lines: threshold ±{threshold} points',
    'consistency.deviation.empty':
      'Not enough data to compare the members yet: at least one product needs two or more score sheets.',
    'consistency.spread.title': "Distribution of the spread between the members' totals",
    'consistency.spread.desc':
      'Products: {products}. Median spread {median} points, largest {max} points; products above the {limit}-point limit: {above}.',
    'consistency.spread.bin': 'From {from} to under {to} points: {count}.',
    'consistency.spread.limit': 'Limit {limit} points · above the limit: {count}',
    'consistency.spread.axisX': 'Spread (highest − lowest member total, points)',
    'consistency.spread.axisY': 'Products',
    'consistency.spread.empty': 'No product has two or more score sheets yet, so there is no spread to show.',
    'consistency.disagreement.title': 'Criteria the members score most differently',
    'consistency.disagreement.desc':
      'Criteria scored by two or more members: {criteria}; the chart shows the {shown} with the highest share of products where the members gave different points.',
    'consistency.disagreement.item':
      'Criterion {criterion}: {rate} ({disagreements} of {products} products scored differently), mean range {range} points.',
    'consistency.disagreement.axisX': 'Share of products where the members gave different points',
    'consistency.disagreement.axisY': 'Criterion',
    'consistency.disagreement.empty':
      'No criterion has been scored by two or more members on the same product yet.',
  },
);
