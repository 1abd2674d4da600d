import { FilePdfOutlined, PrinterOutlined, QrcodeOutlined, SearchOutlined } from '@ant-design/icons';
import { formatDossierCode } from '@contracts/dossier-code.ts';
import { Button, Card, Col, Row, Space, Steps, Typography } from 'antd';
import { useMe } from '../../api/hooks.ts';
import { vnToday } from '../../ui/format.ts';

const { Title, Paragraph, Text } = Typography;

/**
 * Hướng dẫn: what officers tell citizens at the desk (after the province's 2019 guide), and a citizen guide
 * to print and hand out.
 */
export function HelpPage() {
  const me = useMe();
  const oaName = me.data?.oaName ?? 'Dịch vụ công';
  // A code in the shape of the receipts this desk prints today.
  const exampleCode = formatDossierCode(me.data?.agency.code ?? '000.00.01.H50', vnToday(), 1);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12} className="no-print">
        <Card title="Hướng dẫn cán bộ tiếp nhận">
          <Title level={5}>Khi công dân muốn nhận thông báo qua Zalo</Title>
          <Steps
            direction="vertical"
            size="small"
            current={-1}
            items={[
              {
                title: 'Nhập đúng số điện thoại đã đăng ký Zalo',
                description:
                  'Ô “Điện thoại liên hệ” phải là số điện thoại di động dùng để đăng ký Zalo của chính người nộp. Số 11 số cũ được tự động chuyển sang số 10 số.',
              },
              {
                title: 'Đánh dấu “Đăng ký nhận thông báo trạng thái hồ sơ qua Zalo”',
                description:
                  'Mỗi lần hồ sơ chuyển trạng thái, công dân nhận một tin nhắn Zalo. Số cố định không dùng được Zalo.',
              },
              {
                title: 'Hướng dẫn công dân chưa dùng Zalo',
                description:
                  'Cài ứng dụng Zalo trên điện thoại thông minh, đăng ký tài khoản bằng đúng số điện thoại đã khai trong hồ sơ. Nếu số chưa có Zalo, công dân sẽ không nhận được thông báo qua Zalo.',
              },
              {
                title: 'Giao Giấy tiếp nhận và giới thiệu cách tra cứu',
                description: `Trên phiếu có mã hồ sơ và mã QR. Công dân quan tâm trang Zalo “${oaName}”, rồi gửi mã hồ sơ hoặc quét mã QR để xem tình trạng.`,
              },
            ]}
          />
          <Paragraph type="secondary">
            Tài khoản: {me.data?.fullName} — {me.data?.agency.name}
          </Paragraph>
        </Card>
        <Card title="Mã QR Zalo OA, áp phích và trang tra cứu" style={{ marginTop: 16 }}>
          <Space align="start" size={16} wrap>
            <img src="/qrcode/zalo-qrcode.jpg" alt={`Mã QR Zalo OA ${oaName}`} width={140} height={140} />
            <Space direction="vertical">
              <Paragraph style={{ marginBottom: 0 }}>
                Dán áp phích tại quầy để công dân quét mã QR và quan tâm OA ngay khi chờ.
              </Paragraph>
              <Button icon={<FilePdfOutlined />} href="/qrcode/tra-cuu-zalo.pdf" target="_blank">
                In áp phích A4 “Tra cứu hồ sơ qua Zalo”
              </Button>
              <Button icon={<QrcodeOutlined />} href="/qrcode/zalo-qrcode.jpg" download="zalo-qrcode.jpg">
                Tải ảnh mã QR của OA
              </Button>
              <Button icon={<SearchOutlined />} href="/tra-cuu" target="_blank">
                Mở trang tra cứu công khai
              </Button>
            </Space>
          </Space>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card
          title="Hướng dẫn công dân tra cứu hồ sơ qua Zalo"
          extra={
            <Button className="no-print" icon={<PrinterOutlined />} onClick={() => window.print()}>
              In hướng dẫn
            </Button>
          }
        >
          <Title level={4} style={{ textAlign: 'center' }}>
            TRA CỨU HỒ SƠ THỦ TỤC HÀNH CHÍNH QUA ZALO
          </Title>
          <div style={{ textAlign: 'center' }}>
            <img src="/qrcode/zalo-qrcode.jpg" alt={`Mã QR Zalo OA ${oaName}`} width={160} height={160} />
          </div>
          <Paragraph>
            <Text strong>Bước 1.</Text> Mở ứng dụng Zalo, tìm trang “{oaName}” (hoặc quét mã QR của trang tại
            Bộ phận Một cửa) và bấm <Text strong>Quan tâm</Text>.
          </Paragraph>
          <Paragraph>
            <Text strong>Bước 2 — cách 1.</Text> Gửi cho trang Zalo <Text strong>mã hồ sơ</Text> in trên Giấy
            tiếp nhận hồ sơ, ví dụ <Text code>{exampleCode}</Text>. Không cần gõ đúng chữ hoa, dấu chấm hay
            dấu gạch.
          </Paragraph>
          <Paragraph>
            <Text strong>Bước 2 — cách 2.</Text> Trong Zalo, chọn <Text strong>Quét mã QR</Text> và quét mã QR
            trên Giấy tiếp nhận.
          </Paragraph>
          <Paragraph>
            <Text strong>Bước 3.</Text> Xem trạng thái hồ sơ, ngày hẹn trả và việc cần làm (bổ sung giấy tờ,
            nộp lệ phí, đến nhận kết quả).
          </Paragraph>
          <Paragraph>
            Nếu đã đăng ký nhận thông báo khi nộp hồ sơ, mỗi khi hồ sơ chuyển trạng thái Ông/Bà sẽ nhận tin
            nhắn Zalo tới số điện thoại đã khai. Giữ Giấy tiếp nhận để nhận kết quả.
          </Paragraph>
          <Paragraph>
            Không dùng Zalo? Tra cứu trên trang web <Text code>{window.location.origin}/tra-cuu</Text> bằng mã
            hồ sơ; nhập thêm 4 số cuối điện thoại hoặc CCCD để xem đầy đủ.
          </Paragraph>
        </Card>
      </Col>
    </Row>
  );
}
