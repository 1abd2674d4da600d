import {
  FALLBACK_REASON_LABELS,
  FALLBACK_TRIGGERS,
  policyProblems,
  type TFallbackPolicy,
  type TFallbackPolicyView,
} from '@contracts/fallback.ts';
import { STATUSES, type StatusCode } from '@contracts/statuses.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  InputNumber,
  Space,
  Switch,
  TimePicker,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { errorText, QueryState } from '../../ui/QueryState.tsx';

const SMS_PROVIDERS: Record<TFallbackPolicyView['providers']['sms'], string> = {
  http: 'Cổng SMS brandname (SMS_GATEWAY_URL)',
  sandbox: 'SMS sandbox tích hợp: tin nhắn chỉ hiện trên điện thoại mô phỏng',
  none: 'Chưa cấu hình cổng SMS: không gửi được SMS',
};
const EMAIL_PROVIDERS: Record<TFallbackPolicyView['providers']['email'], string> = {
  smtp: 'Máy chủ SMTP (SMTP_URL)',
  catcher: 'Hộp thư sandbox tích hợp: thư không được gửi ra ngoài',
  none: 'Chưa cấu hình SMTP: không gửi được email',
};

/** Gửi thay thế (administrators): the province's SMS / email fallback policy when Zalo does not reach a citizen. */
export function FallbackPage() {
  const data = useQuery({
    queryKey: ['fallback-policy'],
    queryFn: () => api.get<TFallbackPolicyView>('/api/admin/fallback-policy'),
  });
  return (
    <QueryState loading={data.isLoading} error={data.error} retry={() => void data.refetch()}>
      {data.data && <PolicyForm key={data.data.updatedAt ?? 'default'} view={data.data} />}
    </QueryState>
  );
}

function PolicyForm({ view }: { view: TFallbackPolicyView }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [policy, setPolicy] = useState<TFallbackPolicy>(view.policy);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const problems = Object.fromEntries(policyProblems(policy).map((p) => [p.field, p.userMessage]));
  const errors = { ...serverErrors, ...problems };
  const save = useMutation({
    mutationFn: () => api.put<TFallbackPolicyView>('/api/admin/fallback-policy', policy),
    onSuccess: async () => {
      setServerErrors({});
      await queryClient.invalidateQueries({ queryKey: ['fallback-policy'] });
      void message.success('Đã lưu chính sách gửi thay thế.');
    },
    onError: (err) => {
      if (err instanceof ApiError) {
        setServerErrors(err.fieldErrors());
      }
      void message.error(errorText(err));
    },
  });
  const set = (change: Partial<TFallbackPolicy>) => setPolicy({ ...policy, ...change });
  const setSms = (change: Partial<TFallbackPolicy['sms']>) => set({ sms: { ...policy.sms, ...change } });
  const quiet = policy.sms.quietHours;
  const time = (v: string) => dayjs(`2000-01-01T${v}`);
  const status = (field: string) => (errors[field] ? ('error' as const) : undefined);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={`Gửi thay thế khi Zalo không tới được người dân — ${view.provinceName}`}>
        <Typography.Paragraph type="secondary">
          Khi tin Zalo không gửi được hoặc người dân chưa nhận trong thời hạn, hệ thống gửi SMS và/hoặc email
          thay thế — mỗi lần đổi trạng thái tối đa một SMS và một email. Nếu Zalo báo đã nhận trước khi hết
          hạn, không gửi gì thêm.
        </Typography.Paragraph>
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label="SMS">
            {SMS_PROVIDERS[view.providers.sms]}
            {view.providers.sms === 'sandbox' && (
              <>
                {' '}
                — <a href="/sandbox/phone">mở điện thoại mô phỏng</a>
              </>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="Email">
            {EMAIL_PROVIDERS[view.providers.email]}
            {view.providers.email === 'catcher' && (
              <>
                {' '}
                — <a href="/sandbox/mail">mở hộp thư sandbox</a>
              </>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="Cập nhật lần cuối">
            {view.isDefault ? 'Đang dùng chính sách mặc định' : formatDateTime(view.updatedAt)}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title="Chính sách">
        <Form layout="vertical" onFinish={() => save.mutate()} style={{ maxWidth: 760 }}>
          <Form.Item label="Kênh gửi thay thế">
            <Space direction="vertical">
              <Space>
                <Switch
                  checked={policy.sms.enabled}
                  onChange={(enabled) => setSms({ enabled })}
                  aria-label="Gửi SMS"
                />
                SMS tới số điện thoại di động của người nộp
              </Space>
              <Space>
                <Switch
                  checked={policy.email.enabled}
                  onChange={(enabled) => set({ email: { enabled } })}
                  aria-label="Gửi email"
                />
                Email (khi người nộp có khai báo địa chỉ email)
              </Space>
            </Space>
          </Form.Item>

          <Form.Item label="Gửi thay thế khi" validateStatus={status('triggers')} help={errors.triggers}>
            <Checkbox.Group
              value={policy.triggers}
              onChange={(triggers) => set({ triggers: triggers as TFallbackPolicy['triggers'] })}
              options={FALLBACK_TRIGGERS.map((t) => ({ value: t, label: FALLBACK_REASON_LABELS[t] }))}
            />
          </Form.Item>
          {policy.triggers.includes('not_delivered') && (
            <Form.Item label="Thời hạn chờ Zalo báo đã nhận (phút)">
              <InputNumber
                min={1}
                max={1440}
                value={policy.notDeliveredMinutes}
                onChange={(v) => set({ notDeliveredMinutes: v ?? 30 })}
                aria-label="Số phút chờ"
              />
            </Form.Item>
          )}
          <Form.Item>
            <Space>
              <Switch
                checked={policy.withoutZalo}
                onChange={(withoutZalo) => set({ withoutZalo })}
                aria-label="Người dân không đăng ký Zalo"
              />
              Gửi SMS/email cả cho người dân không đăng ký nhận tin qua Zalo
            </Space>
          </Form.Item>

          <Form.Item
            label="Áp dụng cho các trạng thái"
            validateStatus={status('statuses')}
            help={errors.statuses}
          >
            <Checkbox.Group
              value={policy.statuses}
              onChange={(statuses) => set({ statuses: statuses as number[] })}
              options={(Object.keys(STATUSES) as unknown as StatusCode[]).map((code) => ({
                value: Number(code),
                label: `${code}. ${STATUSES[code].label}`,
              }))}
            />
          </Form.Item>

          <Form.Item label="Nội dung SMS">
            <Space>
              <Switch
                checked={policy.sms.unaccented}
                onChange={(unaccented) => setSms({ unaccented })}
                aria-label="SMS không dấu"
              />
              Gửi tiếng Việt không dấu (1 tin tối đa 160 ký tự thay vì 70 ký tự khi có dấu)
            </Space>
          </Form.Item>

          <Form.Item
            label="Khung giờ yên lặng (không gửi SMS, giờ Việt Nam)"
            validateStatus={status('sms.quietHours')}
            help={
              errors['sms.quietHours'] ??
              'SMS phát sinh trong khung giờ này được gửi khi hết giờ, không bị bỏ.'
            }
          >
            <Space wrap>
              <Switch
                checked={quiet.enabled}
                onChange={(enabled) => setSms({ quietHours: { ...quiet, enabled } })}
                aria-label="Bật khung giờ yên lặng"
              />
              từ
              <TimePicker
                format="HH:mm"
                minuteStep={15}
                allowClear={false}
                disabled={!quiet.enabled}
                value={time(quiet.start)}
                onChange={(v) => v && setSms({ quietHours: { ...quiet, start: v.format('HH:mm') } })}
                aria-label="Bắt đầu"
              />
              đến
              <TimePicker
                format="HH:mm"
                minuteStep={15}
                allowClear={false}
                disabled={!quiet.enabled}
                value={time(quiet.end)}
                onChange={(v) => v && setSms({ quietHours: { ...quiet, end: v.format('HH:mm') } })}
                aria-label="Kết thúc"
              />
            </Space>
          </Form.Item>

          {Object.keys(problems).length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message="Vui lòng sửa các lỗi ở trên."
            />
          )}
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            disabled={Object.keys(problems).length > 0}
          >
            Lưu chính sách
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
