import type { TDashboard } from '@contracts/dashboard.ts';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { Chart } from '../../ui/Chart.tsx';
import { formatPercent } from '../../ui/format.ts';
import { QueryState } from '../../ui/QueryState.tsx';
import { RatingSummaryCard } from '../ratings/RatingSummaryCard.tsx';

/** Tổng quan: the agency's counts, deadlines and on-time rates, refreshed every minute. */
export function DashboardPage() {
  const stats = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => api.get<TDashboard>('/api/dashboard'),
    refetchInterval: 60_000,
  });
  const s = stats.data;
  const charts = useMemo(() => (s ? buildCharts(s) : undefined), [s]);
  return (
    <QueryState loading={stats.isLoading} error={stats.error} retry={() => void stats.refetch()}>
      {s && charts && (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Card>
              <Statistic
                title="Tiếp nhận hôm nay"
                value={s.receivedToday}
                valueStyle={{ color: '#1677ff' }}
                data-testid="stat-today"
              />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Link to="/ho-so?dueWithinDays=2">
                <Statistic
                  title={`Sắp đến hạn (≤ ${s.dueSoonWorkingDays} ngày)`}
                  value={s.dueSoon}
                  valueStyle={{ color: '#d48806' }}
                />
              </Link>
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Link to="/ho-so?overdue=true">
                <Statistic
                  title="Quá hạn"
                  value={s.overdue}
                  valueStyle={{ color: '#cf1322' }}
                  data-testid="stat-overdue"
                />
              </Link>
              {s.paused > 0 && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="stat-paused">
                  Không tính {s.paused} hồ sơ đang chờ công dân bổ sung hoặc nộp nghĩa vụ tài chính
                </Typography.Text>
              )}
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card>
              <Statistic
                title="Đăng ký nhận thông báo Zalo (12 tháng)"
                value={formatPercent(s.zaloOptInRate)}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title="Hồ sơ theo trạng thái" data-testid="by-status">
              <Chart option={charts.byStatus} label="Số hồ sơ theo trạng thái" />
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                {s.byStatus.map((b) => `${b.label}: ${b.count}`).join(' · ')}
              </Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title="Tỷ lệ giải quyết đúng hạn theo tháng">
              <Chart option={charts.byMonth} label="Tỷ lệ đúng hạn theo tháng" />
              <Typography.Paragraph
                type="secondary"
                style={{ marginBottom: 0 }}
                data-testid="late-apologised"
              >
                Đúng hạn tính theo ngày hẹn trả ban đầu. Trễ hạn, đã xin lỗi (12 tháng):{' '}
                {s.onTimeByMonth.reduce((n, m) => n + m.lateApologised, 0)} hồ sơ.
              </Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24}>
            <Card title="Tỷ lệ đúng hạn theo thủ tục (12 tháng)">
              <Chart
                option={charts.byProcedure}
                height={Math.max(240, s.onTimeByProcedure.length * 34)}
                label="Tỷ lệ đúng hạn theo thủ tục"
              />
            </Card>
          </Col>
          <Col xs={24}>
            <RatingSummaryCard />
          </Col>
        </Row>
      )}
    </QueryState>
  );
}

function buildCharts(s: TDashboard) {
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  return {
    byStatus: {
      tooltip: {},
      grid: { left: 150, right: 20, top: 10, bottom: 20 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: s.byStatus.map((b) => b.label), inverse: true },
      series: [
        {
          type: 'bar',
          barMaxWidth: 24,
          data: s.byStatus.map((b) => b.count),
          itemStyle: { color: '#1677ff' },
        },
      ],
    },
    byMonth: {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
      grid: { left: 40, right: 20, top: 20, bottom: 30 },
      xAxis: {
        type: 'category',
        data: s.onTimeByMonth.map((m) => `${m.month.slice(5)}/${m.month.slice(0, 4)}`),
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'line',
          data: s.onTimeByMonth.map((m) => pct(m.rate)),
          smooth: true,
          itemStyle: { color: '#389e0d' },
        },
      ],
    },
    byProcedure: {
      tooltip: { valueFormatter: (v: unknown) => `${v}%` },
      grid: { left: 320, right: 30, top: 10, bottom: 20 },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: s.onTimeByProcedure.map((p) => (p.name.length > 48 ? `${p.name.slice(0, 47)}…` : p.name)),
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 24,
          data: s.onTimeByProcedure.map((p) => pct(p.rate)),
          itemStyle: { color: '#389e0d' },
        },
      ],
    },
  };
}
