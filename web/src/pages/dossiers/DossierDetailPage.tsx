import { FilePdfOutlined } from '@ant-design/icons';
import type { TDossierAction, TDossierView, TJournalEntry } from '@contracts/dossier-view.ts';
import type { TNotificationView } from '@contracts/notifications.ts';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Result,
  Row,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { useConnectedAgency } from '../../api/connector.ts';
import { useProcedures } from '../../api/hooks.ts';
import { formatDate, formatDateTime, formatMoney } from '../../ui/format.ts';
import { QueryState } from '../../ui/QueryState.tsx';
import { ProgressTag, StatusTag } from '../../ui/StatusTag.tsx';
import { DossierRatingCard } from '../ratings/DossierRatingCard.tsx';
import { NotificationList } from './NotificationList.tsx';
import { TransitionDialog } from './TransitionDialog.tsx';

/** Chi tiết hồ sơ: data, documents, deadline, the merged timeline and the actions this officer may take now. */
export function DossierDetailPage() {
  const code = useParams().code ?? '';
  const connected = useConnectedAgency();
  const procedures = useProcedures();
  const [action, setAction] = useState<TDossierAction>();
  const dossier = useQuery({
    queryKey: ['dossier', code],
    queryFn: () => api.get<TDossierView>(`/api/dossiers/${encodeURIComponent(code)}`),
  });
  const notifications = useQuery({
    queryKey: ['notifications', code],
    queryFn: () => api.get<TNotificationView[]>(`/api/dossiers/${encodeURIComponent(code)}/notifications`),
    enabled: dossier.isSuccess,
    refetchInterval: 5000,
  });
  const journal = useQuery({
    queryKey: ['journal', code],
    queryFn: () => api.get<TJournalEntry[]>(`/api/dossiers/${encodeURIComponent(code)}/journal`),
    enabled: dossier.isSuccess,
  });
  // A code typed in the address in lower case or with spaces opens the dossier; the address then shows the
  // code as printed.
  const navigate = useNavigate();
  const canonical = dossier.data?.code;
  useEffect(() => {
    if (canonical && canonical !== code) {
      void navigate(`/ho-so/${encodeURIComponent(canonical)}`, { replace: true });
    }
  }, [canonical, code, navigate]);

  if (dossier.error instanceof ApiError && dossier.error.status === 404) {
    return (
      <Result
        status="404"
        title="Không tìm thấy hồ sơ"
        subTitle={`Không có hồ sơ ${code} trong cơ quan của bạn.`}
      />
    );
  }
  const d = dossier.data;
  const entries = journal.data ?? [];
  const documentNames =
    procedures.data?.find((p) => p.code === d?.procedure.code)?.documents.map((x) => x.name) ?? [];

  return (
    <QueryState loading={dossier.isLoading} error={dossier.error} retry={() => void dossier.refetch()}>
      {d && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={
              <Space wrap>
                <span data-testid="detail-code">{d.code}</span>
                <StatusTag status={d.status} />
                <ProgressTag dossier={d} />
              </Space>
            }
            extra={
              <Space wrap className="no-print">
                {connected && (
                  <Typography.Text type="secondary">
                    Hồ sơ được chuyển trạng thái trên phần mềm một cửa của tỉnh.
                  </Typography.Text>
                )}
                {!connected && d.actions.length === 0 && (
                  <Typography.Text type="secondary">
                    Không có thao tác nào cho vai trò của bạn.
                  </Typography.Text>
                )}
                {(connected ? [] : d.actions).map((a) => (
                  <Button
                    key={a.action}
                    type={a.action === 'complete' || a.action === 'start_processing' ? 'primary' : 'default'}
                    danger={['refuse', 'stop'].includes(a.action)}
                    onClick={() => setAction(a)}
                  >
                    {a.label}
                  </Button>
                ))}
              </Space>
            }
          >
            <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
              <Descriptions.Item label="Thủ tục">{d.procedure.name}</Descriptions.Item>
              <Descriptions.Item label="Lĩnh vực">{d.procedure.field}</Descriptions.Item>
              <Descriptions.Item label="Người nộp">{d.applicant.fullName}</Descriptions.Item>
              <Descriptions.Item label="Số CCCD">{d.applicant.idNumber}</Descriptions.Item>
              <Descriptions.Item label="Điện thoại liên hệ">
                {d.applicant.phoneDisplay} {d.notifyByZalo && <Tag color="blue">Nhận thông báo Zalo</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label="Email">{d.applicant.email ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="Địa chỉ">{d.applicant.address || '—'}</Descriptions.Item>
              <Descriptions.Item label="Hình thức nộp">{d.channelLabel}</Descriptions.Item>
              <Descriptions.Item label="Ngày tiếp nhận">{formatDateTime(d.receivedAt)}</Descriptions.Item>
              <Descriptions.Item label="Ngày hẹn trả">
                <b>{formatDate(d.appointmentDate)}</b>
                {d.originalAppointmentDate && (
                  <Typography.Text type="secondary">
                    {' '}
                    (hẹn ban đầu {formatDate(d.originalAppointmentDate)})
                  </Typography.Text>
                )}
                {d.appointmentDateBasis === 'proposed' && !d.finishedAt && (
                  <Tag color="orange" style={{ marginLeft: 8 }}>
                    Theo lịch nghỉ dự kiến năm {d.appointmentProposedYears.join(', ')}
                  </Tag>
                )}
                {d.recomputedAppointmentDate && (
                  <Typography.Text
                    type="warning"
                    style={{ display: 'block' }}
                    data-testid="recomputed-appointment"
                  >
                    Lịch làm việc đã thay đổi: theo lịch hiện tại ngày hẹn là{' '}
                    {formatDate(d.recomputedAppointmentDate)}. Ngày hẹn đã in giữ nguyên — vui lòng báo người
                    nộp.
                  </Typography.Text>
                )}
              </Descriptions.Item>
              {d.status === 5 && (
                <Descriptions.Item label="Giấy tờ cần bổ sung" span={2}>
                  {((d.statusData.missingDocuments as string[] | undefined) ?? []).join('; ')}
                </Descriptions.Item>
              )}
              {d.status === 6 && (
                <Descriptions.Item label="Nghĩa vụ tài chính" span={2}>
                  {formatMoney(Number(d.statusData.amountVnd ?? 0))} — {String(d.statusData.content ?? '')}
                </Descriptions.Item>
              )}
              {/* Not `d.note && …`: an empty note would render '' and Descriptions would show it as a blank row. */}
              {d.note ? (
                <Descriptions.Item label="Ghi chú" span={2}>
                  {d.note}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card title="Thành phần hồ sơ" size="small">
                <Table
                  size="small"
                  rowKey="name"
                  pagination={false}
                  dataSource={d.receivedDocuments}
                  locale={{ emptyText: 'Không có giấy tờ' }}
                  columns={[
                    { title: 'Tên giấy tờ', dataIndex: 'name' },
                    { title: 'Hình thức', dataIndex: 'form', width: 110 },
                    { title: 'Số lượng', dataIndex: 'quantity', width: 90 },
                  ]}
                />
                <Typography.Paragraph style={{ marginTop: 8 }}>
                  Số lượng hồ sơ: {d.copies} bộ
                </Typography.Paragraph>
              </Card>
              <Card title="Biểu mẫu" size="small" style={{ marginTop: 16 }}>
                <Space wrap>
                  {/* Titled by the circular in force on the reception date (TT 01/2018 or TT 03/2025). */}
                  {d.forms.map((f) => (
                    <Button
                      key={f.kind}
                      icon={<FilePdfOutlined />}
                      href={`/api/dossiers/${encodeURIComponent(d.code)}/${f.kind}.pdf`}
                      target="_blank"
                      title={f.basis}
                    >
                      {f.title}
                      {f.formNumber ? ` (Mẫu ${f.formNumber})` : ''}
                    </Button>
                  ))}
                </Space>
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title="Quá trình xử lý" size="small" data-testid="timeline">
                <QueryState loading={journal.isLoading} error={journal.error}>
                  <Timeline
                    items={entries.map((e) => ({
                      color:
                        e.toStatus === 3 || e.toStatus === 8 ? 'red' : e.toStatus >= 9 ? 'green' : 'blue',
                      children: (
                        <div>
                          <b>{e.label}</b>
                          <div>
                            <Typography.Text type="secondary">
                              {formatDateTime(e.at)} · {e.actorName}
                            </Typography.Text>
                          </div>
                          {describe(e) && <div>{describe(e)}</div>}
                          {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                          <NotificationList
                            items={(notifications.data ?? []).filter((n) => n.journalSeq === e.seq)}
                          />
                        </div>
                      ),
                    }))}
                  />
                </QueryState>
                {notifications.data?.length === 0 && (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={
                      d.notifyByZalo
                        ? 'Chưa có thông báo nào được gửi cho hồ sơ này.'
                        : 'Người nộp không đăng ký nhận thông báo qua Zalo.'
                    }
                  />
                )}
              </Card>
              <DossierRatingCard code={d.code} />
            </Col>
          </Row>
          {action && (
            <TransitionDialog
              dossier={d}
              action={action}
              documentNames={documentNames}
              onClose={() => setAction(undefined)}
            />
          )}
        </Space>
      )}
    </QueryState>
  );
}

/** The one line that says what a journal entry carried. */
function describe(e: TJournalEntry): string {
  const x = e.data;
  switch (e.action) {
    case 'receive':
      return `Hẹn trả ${formatDate(String(x.dueDate))}${x.phoneConvertedFrom ? ` · số điện thoại cũ ${x.phoneConvertedFrom} đã chuyển đổi` : ''}`;
    case 'request_supplement':
      return `Cần bổ sung: ${((x.missingDocuments as string[]) ?? []).join('; ')}. Lý do: ${String(x.reason ?? '')}`;
    case 'request_payment':
      return `${formatMoney(Number(x.amountVnd))} — ${String(x.content ?? '')}`;
    case 'refuse':
    case 'stop':
    case 'request_withdrawal':
      return x.reason ? `Lý do: ${String(x.reason)}` : '';
    case 'apologise':
      return `Ngày hẹn trả mới ${formatDate(String(x.newDueDate))}. Lý do: ${String(x.reason ?? '')}`;
    case 'return_result':
      return `Hình thức: ${{ direct: 'tại Bộ phận Một cửa', post: 'qua bưu chính', online: 'trực tuyến' }[String(x.method)] ?? ''}${x.receiverName ? ` · người nhận ${String(x.receiverName)}` : ''}`;
    default:
      return x.dueDate ? `Hẹn trả mới ${formatDate(String(x.dueDate))}` : '';
  }
}
