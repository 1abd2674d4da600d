import { AUDIT_ACTIONS, type TAuditEvent, type TAuditPage } from '@contracts/audit.ts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, query } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { QueryState } from '../../ui/QueryState.tsx';

const PAGE_SIZE = 50;
const actionOptions = Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label }));

interface Filters {
  action?: string;
  q?: string;
  from?: string;
  to?: string;
}

/** Nhật ký hệ thống: who did what, newest first, for administrators. */
export function AuditLog() {
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const events = useQuery({
    queryKey: ['audit-events', filters, page],
    queryFn: () =>
      api.get<TAuditPage>(`/api/audit-events${query({ ...filters, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const filter = (patch: Filters) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const shown = events.data?.items.length ?? 0;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="Hành động"
          aria-label="Hành động"
          options={actionOptions}
          style={{ width: 300 }}
          onChange={(action?: string) => filter({ action })}
        />
        <Input.Search
          allowClear
          placeholder="Người thực hiện hoặc mã đối tượng"
          aria-label="Người thực hiện hoặc mã đối tượng"
          style={{ width: 320 }}
          onSearch={(q) => filter({ q: q.trim() || undefined })}
        />
        <DatePicker.RangePicker
          format="DD/MM/YYYY"
          placeholder={['Từ ngày', 'Đến ngày']}
          onChange={(range) =>
            filter({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })
          }
        />
      </Space>
      <Typography.Paragraph type="secondary">
        Thao tác trên từng hồ sơ (tiếp nhận, chuyển xử lý, trả kết quả…) được ghi ở mục Quá trình xử lý của hồ
        sơ đó.
      </Typography.Paragraph>
      <QueryState loading={events.isLoading} error={events.error} retry={() => void events.refetch()}>
        <Table<TAuditEvent>
          rowKey="id"
          size="small"
          data-testid="audit-log"
          dataSource={events.data?.items}
          loading={events.isFetching && !events.isLoading}
          locale={{ emptyText: 'Không có hoạt động nào khớp với bộ lọc.' }}
          // Fixed widths: one event is one or two lines, whatever the details hold.
          tableLayout="fixed"
          scroll={{ x: 1000 }}
          pagination={{
            simple: true,
            current: page,
            pageSize: PAGE_SIZE,
            // The journal is not counted: one page more is offered while there is more.
            total: (page - 1) * PAGE_SIZE + shown + (events.data?.hasMore ? 1 : 0),
            onChange: setPage,
            hideOnSinglePage: true,
          }}
          columns={[
            { title: 'Thời gian', width: 130, render: (_, e) => formatDateTime(e.at) },
            {
              title: 'Người thực hiện',
              width: 220,
              render: (_, e) => (
                <>
                  <Typography.Text ellipsis={{ tooltip: e.actor.name }} style={{ display: 'block' }}>
                    {e.actor.name}
                  </Typography.Text>
                  <Typography.Text
                    type="secondary"
                    ellipsis={{ tooltip: e.actor.agencyName ?? undefined }}
                    style={{ display: 'block', fontSize: 12 }}
                  >
                    {[e.actor.username, e.actor.roleLabel].filter(Boolean).join(' · ')}
                  </Typography.Text>
                </>
              ),
            },
            {
              title: 'Hành động',
              width: 200,
              render: (_, e) => (
                <Typography.Text ellipsis={{ tooltip: e.actionLabel }}>{e.actionLabel}</Typography.Text>
              ),
            },
            {
              title: 'Đối tượng',
              width: 190,
              render: (_, e) => (
                <Typography.Text ellipsis={{ tooltip: e.target.label }}>{e.target.label}</Typography.Text>
              ),
            },
            {
              title: 'Chi tiết',
              render: (_, e) => (
                <Typography.Text ellipsis={{ tooltip: details(e.data) }} type="secondary">
                  {details(e.data)}
                </Typography.Text>
              ),
            },
            { title: 'Địa chỉ IP', dataIndex: 'ip', width: 120, ellipsis: true },
          ]}
        />
      </QueryState>
    </>
  );
}

function details(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('; ');
}
