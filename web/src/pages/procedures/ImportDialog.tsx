import { UploadOutlined } from '@ant-design/icons';
import type { TImportPreview, TImportResult } from '@contracts/procedures.ts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Space, Statistic, Table, type TableProps, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { formatMoney } from '../../ui/format.ts';

type Preview = TImportPreview;
type Problem = Preview['problems'][number];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends the file as the body; answers the JSON, or throws the server's Vietnamese message. */
async function upload<T>(url: string, file: File): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': XLSX },
      body: file,
    });
  } catch {
    throw new Error('Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.');
  }
  const data = (await res.json().catch(() => ({}))) as T & { userMessage?: string };
  if (!res.ok) {
    throw new Error(data.userMessage ?? 'Không nhập được tệp.');
  }
  return data;
}

/** One tab of the preview: the count in its label, the rows in a small table of ten a page. */
function previewTab<T extends object>(
  key: string,
  label: string,
  rows: T[],
  rowKey: TableProps<T>['rowKey'],
  columns: TableProps<T>['columns'],
  testId?: string,
) {
  return {
    key,
    label: `${label} (${rows.length})`,
    children: (
      <Table<T>
        size="small"
        rowKey={rowKey}
        dataSource={rows}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={columns}
        data-testid={testId}
      />
    ),
  };
}

/**
 * Nhập danh mục thủ tục từ Excel: the file exported from the national catalogue is checked and previewed
 * (what is added, what changes, which rows are wrong); nothing is written until the administrator imports a
 * file without errors.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const choose = async (chosen: File) => {
    setFile(chosen);
    setPreview(undefined);
    setError(undefined);
    setBusy(true);
    try {
      setPreview(await upload<Preview>('/api/procedures/import/preview', chosen));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!file) {
      return;
    }
    setBusy(true);
    try {
      const r = await upload<TImportResult>('/api/procedures/import', file);
      await queryClient.invalidateQueries({ queryKey: ['procedures'] });
      void message.success(`Đã nhập: ${r.created} thủ tục mới, ${r.updated} thủ tục cập nhật.`);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const p = preview;
  const writes = p ? p.created.length + p.changed.length : 0;
  return (
    <Modal
      open
      width={960}
      title="Nhập danh mục thủ tục từ tệp Excel"
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          Đóng
        </Button>,
        <Button
          key="import"
          type="primary"
          disabled={!p?.valid || writes === 0}
          loading={busy}
          onClick={() => void apply()}
        >
          {p?.valid ? `Nhập ${writes} thủ tục` : 'Nhập'}
        </Button>,
      ]}
    >
      <Typography.Paragraph>
        Chọn tệp Excel (.xlsx) xuất từ Cơ sở dữ liệu quốc gia về thủ tục hành chính. Các cột được nhận theo
        tiêu đề: Mã thủ tục, Tên thủ tục, Lĩnh vực, Thời hạn giải quyết (bắt buộc); Phí, lệ phí, Thành phần hồ
        sơ, Cơ quan thực hiện, Cấp thực hiện. Tệp có lỗi thì không ghi gì.
      </Typography.Paragraph>
      <label
        className="ant-btn ant-btn-default"
        style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}
      >
        <UploadOutlined />
        {file ? file.name : 'Chọn tệp Excel'}
        <input
          type="file"
          accept=".xlsx"
          aria-label="Tệp Excel danh mục thủ tục"
          style={{ display: 'none' }}
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            e.target.value = '';
            if (chosen) {
              void choose(chosen);
            }
          }}
        />
      </label>
      {busy && !p && <Typography.Text style={{ marginLeft: 12 }}>Đang kiểm tra tệp…</Typography.Text>}
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 16 }} role="alert" />}
      {p && (
        <div style={{ marginTop: 16 }} data-testid="import-preview">
          {p.valid ? (
            <Alert type="success" showIcon message={`Tệp hợp lệ: đọc được ${p.rowsRead} thủ tục.`} />
          ) : (
            <Alert
              type="error"
              showIcon
              message={`Tệp có ${p.problems.length} lỗi: sửa tệp rồi chọn lại. Chưa có gì được ghi.`}
            />
          )}
          <Space size={48} style={{ margin: '16px 0' }}>
            <Statistic title="Thêm mới" value={p.created.length} />
            <Statistic title="Thay đổi" value={p.changed.length} />
            <Statistic title="Không đổi" value={p.unchanged} />
            <Statistic title="Không có trong tệp (giữ nguyên)" value={p.notInFile.length} />
          </Space>
          <Tabs
            items={[
              ...(p.problems.length > 0
                ? [
                    previewTab<Problem>(
                      'problems',
                      'Lỗi',
                      p.problems,
                      (r) => `${r.row}-${r.column}-${r.userMessage}`,
                      [
                        { title: 'Dòng', dataIndex: 'row', width: 70 },
                        { title: 'Lỗi', dataIndex: 'userMessage' },
                      ],
                      'import-problems',
                    ),
                  ]
                : []),
              previewTab('created', 'Thêm mới', p.created, 'code', [
                { title: 'Mã', dataIndex: 'code', width: 90 },
                { title: 'Tên thủ tục', dataIndex: 'name' },
                { title: 'Thời hạn', dataIndex: 'limit', width: 120 },
                {
                  title: 'Lệ phí',
                  render: (_, c) => (c.feeVnd ? formatMoney(c.feeVnd) : 'Không'),
                  width: 110,
                },
                { title: 'Cơ quan tiếp nhận', render: (_, c) => c.receivingAgencies.join('; ') },
              ]),
              previewTab('changed', 'Thay đổi', p.changed, 'code', [
                { title: 'Mã', dataIndex: 'code', width: 90 },
                { title: 'Tên thủ tục', dataIndex: 'name', width: 260 },
                {
                  title: 'Nội dung thay đổi',
                  render: (_, c) => (
                    <ul style={{ margin: 0, paddingLeft: 16 }}>
                      {c.changes.map((x) => (
                        <li key={x.field}>
                          {x.label}: <s>{x.before || '(trống)'}</s> → <b>{x.after || '(trống)'}</b>
                        </li>
                      ))}
                    </ul>
                  ),
                },
              ]),
              previewTab('missing', 'Không có trong tệp', p.notInFile, 'code', [
                { title: 'Mã', dataIndex: 'code', width: 90 },
                {
                  title: 'Tên thủ tục (giữ nguyên, có thể ngừng áp dụng bằng nút Sửa)',
                  dataIndex: 'name',
                },
              ]),
            ]}
          />
        </div>
      )}
    </Modal>
  );
}
