import type { DocumentSpec } from '../db/schema.ts';

/**
 * Demo organisation: the province of Quảng Trị after the 1 July 2025 merger (it now includes the former
 * Quảng Bình; administrative centre in Đồng Hới), its provincial public administration service centre and
 * a few commune-level one-stop desks. Commune codes are the official ones (NQ 1680/NQ-UBTVQH15).
 * The agency identifiers (mã định danh) follow the QĐ 20/2020 shape, but the province's real codes are not
 * confirmed (domain-vn.md §4, open question 2): replace them before production.
 */
export const DEMO_PROVINCE = { code: '44', name: 'Tỉnh Quảng Trị', short_name: 'Quảng Trị' };

export const DEMO_COMMUNES = [
  { code: '18880', name: 'Phường Đồng Hới', kind: 'phuong' as const },
  { code: '18859', name: 'Phường Đồng Thuận', kind: 'phuong' as const },
  { code: '18871', name: 'Phường Đồng Sơn', kind: 'phuong' as const },
  { code: '19333', name: 'Phường Đông Hà', kind: 'phuong' as const },
  { code: '19351', name: 'Phường Nam Đông Hà', kind: 'phuong' as const },
  { code: '19742', name: 'Đặc khu Cồn Cỏ', kind: 'dac_khu' as const },
];

export interface DemoAgency {
  key: 'province' | 'dong_hoi' | 'dong_ha';
  code: string;
  name: string;
  parent_name: string;
  commune_code: string | null;
  address: string;
  hotline: string;
  email: string | null;
}

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    key: 'province',
    code: '000.00.01.H50',
    name: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Trị',
    parent_name: 'VĂN PHÒNG UBND TỈNH QUẢNG TRỊ',
    commune_code: null,
    address: 'Số 6 Hùng Vương, phường Đồng Hới, tỉnh Quảng Trị',
    hotline: '0232 3822 123',
    email: 'ttphvhcc@quangtri.gov.vn',
  },
  {
    key: 'dong_hoi',
    code: '000.18.80.H50',
    name: 'Bộ phận Một cửa UBND phường Đồng Hới',
    parent_name: 'UBND PHƯỜNG ĐỒNG HỚI',
    commune_code: '18880',
    address: 'Số 2 Quang Trung, phường Đồng Hới, tỉnh Quảng Trị',
    hotline: '0232 3823 456',
    email: null,
  },
  {
    key: 'dong_ha',
    code: '000.19.33.H50',
    name: 'Bộ phận Một cửa UBND phường Đông Hà',
    parent_name: 'UBND PHƯỜNG ĐÔNG HÀ',
    commune_code: '19333',
    address: 'Số 1 Trần Hưng Đạo, phường Đông Hà, tỉnh Quảng Trị',
    hotline: '0233 3852 789',
    email: null,
  },
];

export interface DemoProcedure {
  code: string;
  name: string;
  field: string;
  level: 'tinh' | 'xa';
  processing_days: number;
  fee_vnd: number;
  fee_note: string;
  documents: DocumentSpec[];
  deadline_unit: 'working_days' | 'calendar_days';
  /** Afternoon cut-off: only for matters resolved on the day of receipt, with its legal basis. */
  cutoff_time: string | null;
  cutoff_basis: string;
  supplement_rule: 'restart' | 'extend';
}

const doc = (name: string, form = 'Bản chính', quantity = 1): DocumentSpec => ({ name, form, quantity });

/**
 * Common procedures from the national catalogue (Cơ sở dữ liệu quốc gia về TTHC). Processing times and fees
 * are those of the governing texts; fees set by the provincial People's Council vary by province. The
 * national codes should be checked against dichvucong.gov.vn before production use; a province loads its
 * own list from the catalogue's Excel export (Thủ tục hành chính → Nhập từ Excel).
 * Not here: the criminal-record certificate (lý lịch tư pháp) and the driving-licence exchange moved to the
 * Police on 1/3/2025 with new codes that could not be confirmed; a province imports them with the rest.
 */
export const DEMO_PROCEDURES: DemoProcedure[] = [
  {
    code: '2.000815',
    name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận',
    field: 'Chứng thực',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 0,
    fee_vnd: 2000,
    fee_note: '2.000 đồng/trang; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản',
    documents: [
      doc('Bản chính giấy tờ, văn bản làm cơ sở chứng thực'),
      doc('Bản sao cần chứng thực', 'Bản chụp'),
    ],
    cutoff_time: '15:00',
    cutoff_basis: 'Nghị định số 23/2015/NĐ-CP, Điều 7',
    supplement_rule: 'restart',
  },
  {
    code: '2.000884',
    name: 'Chứng thực chữ ký trong các giấy tờ, văn bản',
    field: 'Chứng thực',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 0,
    fee_vnd: 10000,
    fee_note: '10.000 đồng/trường hợp',
    documents: [
      doc('Căn cước công dân hoặc giấy tờ tùy thân còn giá trị sử dụng'),
      doc('Giấy tờ, văn bản cần chứng thực chữ ký'),
    ],
    cutoff_time: '15:00',
    cutoff_basis: 'Nghị định số 23/2015/NĐ-CP, Điều 7',
    supplement_rule: 'restart',
  },
  {
    code: '1.001193',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 0,
    fee_vnd: 0,
    fee_note: 'Miễn lệ phí khi đăng ký đúng hạn',
    documents: [
      doc('Tờ khai đăng ký khai sinh'),
      doc('Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh'),
    ],
    cutoff_time: '15:00',
    cutoff_basis: 'Luật Hộ tịch 2014, Điều 5 khoản 3',
    supplement_rule: 'restart',
  },
  {
    code: '1.000894',
    name: 'Đăng ký kết hôn',
    field: 'Hộ tịch',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 0,
    fee_vnd: 0,
    fee_note: 'Miễn lệ phí',
    documents: [
      doc('Tờ khai đăng ký kết hôn'),
      doc('Giấy xác nhận tình trạng hôn nhân (nếu đăng ký tại nơi không thường trú)'),
    ],
    cutoff_time: '15:00',
    cutoff_basis: 'Luật Hộ tịch 2014, Điều 5 khoản 3',
    supplement_rule: 'restart',
  },
  {
    code: '1.000656',
    name: 'Đăng ký khai tử',
    field: 'Hộ tịch',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 0,
    fee_vnd: 0,
    fee_note: 'Miễn lệ phí',
    documents: [doc('Tờ khai đăng ký khai tử'), doc('Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử')],
    cutoff_time: '15:00',
    cutoff_basis: 'Luật Hộ tịch 2014, Điều 5 khoản 3',
    supplement_rule: 'restart',
  },
  {
    code: '2.000635',
    name: 'Cấp bản sao Trích lục hộ tịch',
    field: 'Hộ tịch',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 0,
    fee_vnd: 8000,
    fee_note: '8.000 đồng/bản sao',
    documents: [doc('Tờ khai cấp bản sao trích lục hộ tịch')],
    cutoff_time: '15:00',
    cutoff_basis: 'Luật Hộ tịch 2014, Điều 5 khoản 3',
    supplement_rule: 'restart',
  },
  {
    code: '1.004873',
    name: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    field: 'Hộ tịch',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 3,
    fee_vnd: 0,
    fee_note: 'Theo Nghị quyết của HĐND tỉnh',
    documents: [doc('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân')],
    cutoff_time: null,
    cutoff_basis: '',
    supplement_rule: 'restart',
  },
  {
    code: '1.001612',
    name: 'Đăng ký thành lập hộ kinh doanh',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 3,
    fee_vnd: 100000,
    fee_note: 'Theo Nghị quyết của HĐND tỉnh',
    documents: [
      doc('Giấy đề nghị đăng ký hộ kinh doanh'),
      doc('Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ kinh doanh', 'Bản sao'),
      doc('Biên bản họp thành viên hộ gia đình (nếu các thành viên cùng thành lập)', 'Bản sao'),
    ],
    cutoff_time: null,
    cutoff_basis: '',
    supplement_rule: 'restart',
  },
  {
    code: '2.000720',
    name: 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh',
    field: 'Thành lập và hoạt động của hộ kinh doanh',
    level: 'xa',
    deadline_unit: 'working_days',
    processing_days: 3,
    fee_vnd: 0,
    fee_note: 'Theo Nghị quyết của HĐND tỉnh',
    documents: [
      doc('Thông báo thay đổi nội dung đăng ký hộ kinh doanh'),
      doc('Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ kinh doanh (nếu thay đổi chủ hộ)', 'Bản sao'),
    ],
    cutoff_time: null,
    cutoff_basis: '',
    supplement_rule: 'restart',
  },
  {
    code: '1.009994',
    name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
    field: 'Hoạt động xây dựng',
    level: 'xa',
    deadline_unit: 'calendar_days', // "không quá 15 ngày" (Luật Xây dựng 2014, Art. 102)
    processing_days: 15,
    fee_vnd: 75000,
    fee_note: '75.000 đồng/giấy phép (theo Nghị quyết của HĐND tỉnh)',
    documents: [
      doc('Đơn đề nghị cấp giấy phép xây dựng'),
      doc('Giấy tờ chứng minh quyền sử dụng đất', 'Bản sao'),
      doc('Bản vẽ thiết kế xây dựng (02 bộ)', 'Bản chính', 2),
    ],
    cutoff_time: null,
    cutoff_basis: '',
    supplement_rule: 'restart',
  },
  {
    code: '2.001610',
    name: 'Đăng ký thành lập doanh nghiệp tư nhân',
    field: 'Thành lập và hoạt động của doanh nghiệp',
    level: 'tinh',
    deadline_unit: 'working_days',
    processing_days: 3,
    fee_vnd: 50000,
    fee_note: '50.000 đồng/lần (miễn khi nộp trực tuyến)',
    documents: [
      doc('Giấy đề nghị đăng ký doanh nghiệp'),
      doc('Bản sao giấy tờ pháp lý của chủ doanh nghiệp tư nhân', 'Bản sao'),
    ],
    cutoff_time: null,
    cutoff_basis: '',
    supplement_rule: 'restart',
  },
];

/** Demo officers; all share DEMO_PASSWORD, which must be changed and is refused in production. */
export { DEMO_PASSWORD } from '../contracts/password.ts';

export const DEMO_USERS = [
  { username: 'quantri', full_name: 'Nguyễn Văn Quản', role: 'admin' as const, agency: 'province' as const },
  {
    username: 'tiepnhan',
    full_name: 'Trần Thị Tiếp',
    role: 'desk_officer' as const,
    agency: 'province' as const,
  },
  {
    username: 'chuyenvien',
    full_name: 'Lê Văn Xử',
    role: 'specialist' as const,
    agency: 'province' as const,
  },
  { username: 'lanhdao', full_name: 'Phạm Minh Duyệt', role: 'leader' as const, agency: 'province' as const },
  { username: 'xem', full_name: 'Hoàng Thị Xem', role: 'viewer' as const, agency: 'province' as const },
  {
    username: 'donghoi.tiepnhan',
    full_name: 'Đặng Thị Hới',
    role: 'desk_officer' as const,
    agency: 'dong_hoi' as const,
  },
  {
    username: 'donghoi.lanhdao',
    full_name: 'Võ Văn Đồng',
    role: 'leader' as const,
    agency: 'dong_hoi' as const,
  },
  {
    username: 'dongha.tiepnhan',
    full_name: 'Bùi Thị Hà',
    role: 'desk_officer' as const,
    agency: 'dong_ha' as const,
  },
];

/** The demo integration key of the provincial centre; printed at start, refused in production. */
export const DEMO_API_KEY = 'mck_demo0000_QuangTriDemoIntegrationKey0001';
