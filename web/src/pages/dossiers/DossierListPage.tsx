import { FileExcelOutlined, SearchOutlined } from '@ant-design/icons';
import type { TDossierPage } from '@contracts/dossier-list.ts';
import type { TDossierView } from '@contracts/dossier-view.ts';
import { STATUSES } from '@contracts/statuses.ts';
import { matchesSearch } from '@contracts/text.ts';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, downloadFile, query } from '../../api/client.ts';
import { useProcedures } from '../../api/hooks.ts';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';
import { ProgressTag, StatusTag } from '../../ui/StatusTag.tsx';

/** The list's query string (the server validates it with ZDossierListQuery). */
interface ListParams {
  status?: string;
  procedureCode?: string;
  receivedFrom?: string;
  receivedTo?: string;
  overdue?: 'true';
  dueWithinDays?: number;
  zalo?: 'true' | 'false';
  q?: string;
  page: number;
  pageSize: number;
}

/**
 * Danh sách hồ sơ: server-side pages and filters kept in the URL (shareable, back button works), overdue rows
 * marked, export of exactly what is filtered.
 */
export function DossierListPage() {
  const [params, setParams] = useSearchParams();
  const { message } = App.useApp();
  const procedures = useProcedures();
  const filters: ListParams = {
    status: params.get('status') ?? undefined,
    procedureCode: params.get('procedureCode') ?? undefined,
    receivedFrom: params.get('receivedFrom') ?? undefined,
    receivedTo: params.get('receivedTo') ?? undefined,
    overdue: (params.get('overdue') as 'true' | null) ?? undefined,
    dueWithinDays: params.get('dueWithinDays') ? Number(params.get('dueWithinDays')) : undefined,
    zalo: (params.get('zalo') as 'true' | 'false' | null) ?? undefined,
    q: params.get('q') ?? undefined,
    page: Number(params.get('page') ?? 1),
    pageSize: Number(params.get('pageSize') ?? 20),
  };
  const qs = query({ ...filters });
  const list = useQuery({
    queryKey: ['dossiers', qs],
    queryFn: () => api.get<TDossierPage>(`/api/dossiers${qs}`),
    placeholderData: keepPreviousData,
  });

  const set = (changes: Record<string, string | number | undefined | null>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '') {
        next.delete(k);
      } else {
        next.set(k, String(v));
      }
    }
    if (!keepPage) {
      next.delete('page');
    }
    setParams(next);
  };

  const procedureOptions = useMemo(
    () =>
      (procedures.data ?? []).map((p) => ({ value: p.code, label: p.name, search: `${p.code} ${p.name}` })),
    [procedures.data],
  );
  const range: [Dayjs, Dayjs] | null =
    filters.receivedFrom && filters.receivedTo
      ? [dayjs(filters.receivedFrom), dayjs(filters.receivedTo)]
      : null;
  const exportQs = query({ ...filters, page: undefined, pageSize: undefined });
  const exporting = useMutation({
    mutationFn: () => downloadFile(`/api/dossiers/export.xlsx${exportQs}`),
    onSuccess: (name) => void message.success(`Đã tải xuống ${name}.`),
    onError: (err) => void message.error(`Xuất Excel không thành công. ${errorText(err)}`, 8),
  });

  return (
    <Card
      title="Danh sách hồ sơ"
      extra={
        <Button icon={<FileExcelOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()}>
          Xuất Excel
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder="Mã hồ sơ, số điện thoại, số CCCD hoặc họ tên"
          defaultValue={filters.q}
          onSearch={(v) => set({ q: v.trim() })}
          style={{ width: 340 }}
          enterButton={<SearchOutlined />}
          aria-label="Tìm kiếm hồ sơ"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="Trạng thái"
          style={{ minWidth: 220 }}
          value={filters.status?.split(',').map(Number) ?? []}
          onChange={(v: number[]) => set({ status: v.join(',') })}
          options={Object.values(STATUSES).map((s) => ({ value: s.code, label: s.label }))}
          maxTagCount="responsive"
        />
        <Select
          allowClear
          showSearch
          placeholder="Thủ tục"
          style={{ width: 260 }}
          value={filters.procedureCode}
          onChange={(v) => set({ procedureCode: v })}
          options={procedureOptions}
          filterOption={(input, option) => matchesSearch(option?.search ?? '', input)}
        />
        <DatePicker.RangePicker
          format="DD/MM/YYYY"
          placeholder={['Nhận từ ngày', 'đến ngày']}
          value={range}
          onChange={(v) =>
            set({ receivedFrom: v?.[0]?.format('YYYY-MM-DD'), receivedTo: v?.[1]?.format('YYYY-MM-DD') })
          }
        />
        <Select
          allowClear
          placeholder="Thời hạn"
          style={{ width: 180 }}
          value={
            filters.overdue === 'true' ? 'overdue' : filters.dueWithinDays !== undefined ? 'due' : undefined
          }
          onChange={(v) =>
            set({
              overdue: v === 'overdue' ? 'true' : undefined,
              dueWithinDays: v === 'due' ? (filters.dueWithinDays ?? 2) : undefined,
            })
          }
          options={[
            { value: 'overdue', label: 'Quá hạn' },
            { value: 'due', label: 'Sắp đến hạn' },
          ]}
        />
        {filters.dueWithinDays !== undefined && (
          <Tooltip title="Số ngày làm việc tới hạn trả">
            <InputNumber
              min={0}
              max={60}
              value={filters.dueWithinDays}
              onChange={(v) => set({ dueWithinDays: v ?? 0 })}
              addonAfter="ngày"
              style={{ width: 120 }}
            />
          </Tooltip>
        )}
        <Select
          allowClear
          placeholder="Zalo"
          style={{ width: 170 }}
          value={filters.zalo}
          onChange={(v) => set({ zalo: v })}
          options={[
            { value: 'true', label: 'Có đăng ký Zalo' },
            { value: 'false', label: 'Không đăng ký Zalo' },
          ]}
        />
      </Space>
      <QueryState loading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        <Table<TDossierView>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items}
          locale={{ emptyText: 'Không có hồ sơ nào phù hợp' }}
          scroll={{ x: 1000 }}
          rowClassName={(d) => (d.progress?.overdue ? 'row-overdue' : '')}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: list.data?.total,
            showSizeChanger: true,
            showTotal: (total) =>
              `${total.toLocaleString('vi-VN')}${list.data?.totalCapped ? '+' : ''} hồ sơ`,
            onChange: (page, pageSize) => set({ page, pageSize }, true),
          }}
          columns={[
            {
              title: 'Mã hồ sơ',
              dataIndex: 'code',
              width: 215,
              // The code is what officers read out and compare: never broken over lines.
              render: (code: string) => (
                <Link to={`/ho-so/${encodeURIComponent(code)}`} style={{ whiteSpace: 'nowrap' }}>
                  {code}
                </Link>
              ),
            },
            {
              // Name and procedure share a column, so that a desk screen shows every column without scrolling.
              title: 'Người nộp · Thủ tục',
              render: (_, d) => (
                <>
                  <div>{d.applicant.fullName}</div>
                  <Typography.Text type="secondary" ellipsis={{ tooltip: d.procedure.name }}>
                    {d.procedure.name}
                  </Typography.Text>
                </>
              ),
            },
            { title: 'Ngày nhận', render: (_, d) => formatDateTime(d.receivedAt), width: 140 },
            { title: 'Hẹn trả', render: (_, d) => formatDate(d.appointmentDate), width: 100 },
            { title: 'Trạng thái', render: (_, d) => <StatusTag status={d.status} />, width: 180 },
            { title: 'Thời hạn', render: (_, d) => <ProgressTag dossier={d} />, width: 170 },
            {
              title: 'Zalo',
              width: 64,
              render: (_, d) => (d.notifyByZalo ? <Tag color="blue">Zalo</Tag> : null),
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}
