import type { TRatingSummary } from '@contracts/ratings.ts';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { QueryState } from '../../ui/QueryState.tsx';

const avg = (v: number | null) =>
  v === null ? '—' : v.toLocaleString('vi-VN', { maximumFractionDigits: 2 });

type SatisfactionRow = {
  key: string;
  name: string;
  ratings: number;
  average: number | null;
  stars: number[];
};

function SatisfactionTable({
  rows,
  first,
  testId,
}: {
  rows: SatisfactionRow[];
  first: string;
  testId: string;
}) {
  return (
    <Table<SatisfactionRow>
      size="small"
      data-testid={testId}
      pagination={false}
      dataSource={rows}
      locale={{ emptyText: 'Chưa có đánh giá' }}
      columns={[
        { title: first, dataIndex: 'name' },
        { title: 'Lượt đánh giá', dataIndex: 'ratings', width: 110, align: 'right' },
        { title: 'Trung bình (sao)', dataIndex: 'average', width: 120, align: 'right', render: avg },
        {
          title: '1★ / 2★ / 3★ / 4★ / 5★',
          dataIndex: 'stars',
          width: 170,
          align: 'right',
          render: (s: number[]) => s.join(' / '),
        },
      ]}
    />
  );
}

/** Mức độ hài lòng on the dashboard: the last 12 months by month and procedure, by officer for leaders. */
export function RatingSummaryCard() {
  const summary = useQuery({
    queryKey: ['rating-summary'],
    queryFn: () => api.get<TRatingSummary>('/api/ratings/summary'),
    refetchInterval: 60_000,
  });
  const s = summary.data;
  return (
    <Card title="Mức độ hài lòng của người dân (12 tháng)" data-testid="rating-summary">
      <QueryState loading={summary.isLoading} error={summary.error} retry={() => void summary.refetch()}>
        {s && (
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Statistic title="Điểm trung bình (1–5 sao)" value={avg(s.overall.average)} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title="Lượt đánh giá" value={s.overall.ratings} />
            </Col>
            <Col xs={24} md={12}>
              {s.byOfficer !== null && (
                <Link to="/danh-gia-thap">
                  <Statistic
                    title="Đánh giá chưa hài lòng chờ trả lời"
                    value={s.openFollowUps}
                    valueStyle={{ color: s.openFollowUps > 0 ? '#cf1322' : undefined }}
                  />
                </Link>
              )}
            </Col>
            <Col xs={24} lg={12}>
              <Typography.Title level={5}>Theo tháng</Typography.Title>
              <SatisfactionTable
                testId="rating-by-month"
                first="Tháng"
                rows={s.byMonth.map((m) => ({
                  key: m.month,
                  name: `${m.month.slice(5)}/${m.month.slice(0, 4)}`,
                  ...m,
                }))}
              />
            </Col>
            <Col xs={24} lg={12}>
              <Typography.Title level={5}>Theo thủ tục</Typography.Title>
              <SatisfactionTable
                testId="rating-by-procedure"
                first="Thủ tục"
                rows={s.byProcedure.map((p) => ({ key: p.code, ...p }))}
              />
            </Col>
            {s.byOfficer && (
              <Col xs={24}>
                <Typography.Title level={5}>
                  Theo cán bộ tiếp nhận (chỉ lãnh đạo và quản trị viên xem)
                </Typography.Title>
                <SatisfactionTable
                  testId="rating-by-officer"
                  first="Cán bộ"
                  rows={s.byOfficer.map((o) => ({ key: o.officer, name: o.officer, ...o }))}
                />
              </Col>
            )}
          </Row>
        )}
      </QueryState>
    </Card>
  );
}
