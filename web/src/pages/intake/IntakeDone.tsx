import { DownloadOutlined, FileAddOutlined, PrinterOutlined } from '@ant-design/icons';
import { proposedYearsNotice } from '@contracts/calendar-notice.ts';
import type { TDossierView } from '@contracts/dossier-view.ts';
import { Alert, Button, Card, Result, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { formatDate } from '../../ui/format.ts';

/** After saving: the code in large type, the receipt, and Enter for the next intake. */
export function IntakeDone({ dossier, onNext }: { dossier: TDossierView; onNext: () => void }) {
  const nextRef = useRef<HTMLButtonElement>(null);
  useEffect(() => nextRef.current?.focus(), []);
  const receipt = `/api/dossiers/${encodeURIComponent(dossier.code)}/receipt.pdf`;
  return (
    <Card>
      <Result
        status="success"
        title="Đã tiếp nhận hồ sơ"
        subTitle={
          <>
            <div className="dossier-code-large" data-testid="dossier-code">
              {dossier.code}
            </div>
            <Typography.Paragraph>
              {dossier.applicant.fullName} · {dossier.procedure.name}
              <br />
              Ngày hẹn trả kết quả: <b>{formatDate(dossier.appointmentDate)}</b>
              {dossier.appointmentDateBasis === 'proposed' && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginTop: 8, textAlign: 'left' }}
                  data-testid="appointment-basis"
                  message={proposedYearsNotice(dossier.appointmentProposedYears)}
                />
              )}
              {dossier.notifyByZalo && (
                <>
                  <br />
                  Thông báo trạng thái sẽ được gửi qua Zalo tới số {dossier.applicant.phoneDisplay}.
                </>
              )}
            </Typography.Paragraph>
          </>
        }
        extra={
          <Space wrap>
            <Button type="primary" icon={<PrinterOutlined />} href={receipt} target="_blank">
              In phiếu tiếp nhận
            </Button>
            <Button
              icon={<DownloadOutlined />}
              href={receipt}
              download={`phieu-tiep-nhan-${dossier.code}.pdf`}
            >
              Tải PDF
            </Button>
            <Link to={`/ho-so/${encodeURIComponent(dossier.code)}`}>
              <Button>Xem hồ sơ</Button>
            </Link>
            <Button ref={nextRef} icon={<FileAddOutlined />} onClick={onNext}>
              Tiếp nhận hồ sơ mới (Enter)
            </Button>
          </Space>
        }
      />
    </Card>
  );
}
