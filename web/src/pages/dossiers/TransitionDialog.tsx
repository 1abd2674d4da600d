import type { TDossierAction, TDossierView } from '@contracts/dossier-view.ts';
import {
  TRANSITION_LIMITS as LIMITS,
  TRANSITION_FIELD_LABELS,
  type TTransitionRequest,
  ZTransitionFields,
} from '@contracts/transitions.ts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { formatDate } from '../../ui/format.ts';
import { errorText } from '../../ui/QueryState.tsx';

/** Actions that end or refuse a dossier: confirmed before they are sent. */
const DESTRUCTIVE = new Set(['refuse', 'stop', 'request_withdrawal']);

const required = (message: string) => [{ required: true, whitespace: true, message }];

/** The dialog of one lifecycle action, with the fields that action must carry. */
export function TransitionDialog({
  dossier,
  action,
  documentNames,
  onClose,
}: {
  dossier: TDossierView;
  action: TDossierAction;
  documentNames: string[];
  onClose: () => void;
}) {
  const [form] = Form.useForm();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const move = useMutation({
    mutationFn: (body: TTransitionRequest) =>
      api.post<TDossierView>(`/api/dossiers/${encodeURIComponent(dossier.code)}/transitions`, body),
    onSuccess: (updated) => {
      // The answer is the moved dossier: shown at once, the dialog closed; the timeline and lists catch up.
      queryClient.setQueryData(['dossier', dossier.code], updated);
      void message.success(`${action.label}: đã ghi nhận.`);
      onClose();
      void queryClient.invalidateQueries({ queryKey: ['journal', dossier.code] });
      void queryClient.invalidateQueries({ queryKey: ['dossiers'] });
    },
    onError: (err) => {
      const fields = (err as { fieldErrors?: () => Record<string, string> }).fieldErrors?.() ?? {};
      form.setFields(Object.entries(fields).map(([name, m]) => ({ name, errors: [m] })));
      setError(errorText(err));
    },
  });

  const submit = async () => {
    const values = (await form.validateFields()) as Record<string, unknown>;
    // Checked against the same schema the server uses (src/contracts/transitions.ts); fields left empty are
    // left out, as the server expects.
    const filled = Object.fromEntries(
      Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    );
    if (filled.newDueDate) {
      filled.newDueDate = (filled.newDueDate as Dayjs).format('YYYY-MM-DD');
    }
    const checked = ZTransitionFields.safeParse({ ...filled, action: action.action });
    if (!checked.success) {
      form.setFields(
        checked.error.issues.map((i) => {
          const name = String(i.path[0] ?? 'note');
          return { name, errors: [`${TRANSITION_FIELD_LABELS[name] ?? name}: thiếu hoặc không hợp lệ.`] };
        }),
      );
      return;
    }
    const body: TTransitionRequest = { ...checked.data, to: action.to };
    if (DESTRUCTIVE.has(action.action)) {
      modal.confirm({
        title: `${action.label}?`,
        content: 'Thao tác này sẽ được ghi vào nhật ký hồ sơ và thông báo cho công dân.',
        okText: 'Xác nhận',
        cancelText: 'Hủy',
        okButtonProps: { danger: true },
        onOk: () => move.mutateAsync(body),
      });
      return;
    }
    move.mutate(body);
  };

  return (
    <Modal
      open
      title={action.label}
      okText="Xác nhận"
      cancelText="Hủy"
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={move.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ method: 'direct' }}>
        {action.action === 'request_supplement' && (
          <>
            <Form.Item
              label="Giấy tờ cần bổ sung (liệt kê đầy đủ một lần)"
              name="missingDocuments"
              rules={[{ required: true, message: 'Vui lòng liệt kê giấy tờ cần bổ sung.' }]}
            >
              <Select
                mode="tags"
                placeholder="Chọn hoặc gõ tên giấy tờ rồi Enter"
                options={documentNames.map((n) => ({ value: n }))}
              />
            </Form.Item>
            <Form.Item label="Lý do" name="reason" rules={required('Vui lòng nhập lý do.')}>
              <Input.TextArea rows={3} maxLength={LIMITS.reason} />
            </Form.Item>
          </>
        )}
        {action.action === 'receive_supplement' && (
          <Form.Item label="Giấy tờ đã nhận bổ sung" name="receivedDocuments">
            <Select
              mode="tags"
              options={((dossier.statusData.missingDocuments as string[] | undefined) ?? []).map((n) => ({
                value: n,
              }))}
            />
          </Form.Item>
        )}
        {action.action === 'request_payment' && (
          <>
            <Form.Item
              label="Số tiền (đồng)"
              name="amountVnd"
              rules={[{ required: true, message: 'Vui lòng nhập số tiền.' }]}
            >
              <InputNumber<number>
                min={1}
                max={LIMITS.amountVnd}
                style={{ width: '100%' }}
                formatter={(v) => (v ? new Intl.NumberFormat('vi-VN').format(Number(v)) : '')}
                parser={(v) => Number((v ?? '').replace(/\D/g, ''))}
              />
            </Form.Item>
            <Form.Item
              label="Nội dung nghĩa vụ tài chính"
              name="content"
              rules={required('Vui lòng nhập nội dung.')}
            >
              <Input.TextArea rows={2} maxLength={LIMITS.content} />
            </Form.Item>
          </>
        )}
        {action.action === 'confirm_payment' && (
          <Form.Item label="Số biên lai" name="receiptNumber">
            <Input maxLength={LIMITS.receiptNumber} />
          </Form.Item>
        )}
        {['refuse', 'stop'].includes(action.action) && (
          <Form.Item label="Lý do" name="reason" rules={required('Vui lòng nhập lý do.')}>
            <Input.TextArea rows={3} maxLength={LIMITS.reason} />
          </Form.Item>
        )}
        {action.action === 'request_withdrawal' && (
          <Form.Item label="Lý do công dân rút hồ sơ" name="reason">
            <Input.TextArea rows={2} maxLength={LIMITS.reason} />
          </Form.Item>
        )}
        {action.action === 'complete' && (
          <Form.Item label="Kết quả giải quyết" name="resultSummary">
            <Input.TextArea rows={2} maxLength={LIMITS.resultSummary} />
          </Form.Item>
        )}
        {action.action === 'return_result' && (
          <>
            <Form.Item label="Hình thức trả kết quả" name="method" rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: 'direct', label: 'Tại Bộ phận Một cửa' },
                  { value: 'post', label: 'Qua bưu chính' },
                  { value: 'online', label: 'Trực tuyến' },
                ]}
              />
            </Form.Item>
            <Form.Item label="Người nhận kết quả" name="receiverName">
              <Input maxLength={LIMITS.receiverName} />
            </Form.Item>
          </>
        )}
        {action.action === 'apologise' && (
          <>
            <Alert
              type="warning"
              style={{ marginBottom: 12 }}
              message={`Chỉ được hẹn lại một lần, trước ngày hẹn trả hiện tại (${formatDate(dossier.appointmentDate)}).`}
            />
            <Form.Item label="Lý do chậm trả kết quả" name="reason" rules={required('Vui lòng nhập lý do.')}>
              <Input.TextArea rows={3} maxLength={LIMITS.reason} />
            </Form.Item>
            <Form.Item
              label="Ngày hẹn trả mới"
              name="newDueDate"
              rules={[{ required: true, message: 'Vui lòng chọn ngày hẹn trả mới.' }]}
            >
              <DatePicker
                format="DD/MM/YYYY"
                style={{ width: '100%' }}
                disabledDate={(d) => !d.isAfter(dayjs(dossier.appointmentDate), 'day')}
              />
            </Form.Item>
          </>
        )}
        <Form.Item label="Ghi chú" name="note">
          <Input.TextArea rows={2} maxLength={LIMITS.note} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
