import { PrinterOutlined } from '@ant-design/icons';
import { proposedYearsNotice } from '@contracts/calendar-notice.ts';
import type { TAppointmentPreview, TDossierView } from '@contracts/dossier-view.ts';
import { checkIntake, INTAKE_LIMITS } from '@contracts/intake.ts';
import { limitLabel } from '@contracts/procedures.ts';
import { CHANNELS } from '@contracts/statuses.ts';
import { matchesSearch } from '@contracts/text.ts';
import { useQuery } from '@tanstack/react-query';
import type { InputRef } from 'antd';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, query } from '../../api/client.ts';
import { CONNECTED_NOTICE, useConnectedAgency } from '../../api/connector.ts';
import { useProcedures } from '../../api/hooks.ts';
import { formatDate, formatMoney, vnToday } from '../../ui/format.ts';
import { errorText } from '../../ui/QueryState.tsx';
import { SkipClearButtons } from '../../ui/SkipClearButtons.tsx';
import { LazyIntakeDone, preloadIntakeDone } from './LazyIntakeDone.tsx';
import { PhoneHint } from './PhoneHint.tsx';
import { phoneState } from './phone-state.ts';

interface Values {
  procedureCode?: string;
  fullName?: string;
  idNumber?: string;
  birthDate?: Dayjs | null;
  address?: string;
  phone?: string;
  email?: string;
  notifyByZalo?: boolean;
  documents?: string[];
  copies?: number;
  channel?: 'direct' | 'post' | 'online';
  note?: string;
}

const FIELD_OF: Record<string, keyof Values> = {
  procedureCode: 'procedureCode',
  'applicant.fullName': 'fullName',
  'applicant.idNumber': 'idNumber',
  'applicant.birthDate': 'birthDate',
  'applicant.address': 'address',
  'applicant.phone': 'phone',
  'applicant.email': 'email',
  notifyByZalo: 'notifyByZalo',
  copies: 'copies',
  note: 'note',
};

/**
 * Tiếp nhận hồ sơ: the desk officer's main screen. Keyboard first: every field is reachable with Tab, the
 * procedure list searches without accents ("cap ban sao") and choosing one moves on to the applicant's name,
 * Enter saves, and after saving Enter starts the next intake. The phone is normalised as it is typed and the Zalo opt-in needs a mobile number.
 */
/** In a connected agency dossiers are received in the province's one-stop software (src/connector). */
export function IntakePage() {
  const connected = useConnectedAgency();
  if (connected) {
    return (
      <Card title="Tiếp nhận hồ sơ">
        <Alert
          type="info"
          showIcon
          message="Tiếp nhận trên phần mềm một cửa của tỉnh"
          description={CONNECTED_NOTICE}
        />
      </Card>
    );
  }
  return <IntakeForm />;
}

function IntakeForm() {
  const procedures = useProcedures();
  const [form] = Form.useForm<Values>();
  const [saved, setSaved] = useState<TDossierView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const procedureRef = useRef<{ focus: () => void }>(null);
  const nameRef = useRef<InputRef>(null);
  // Keys typed at full speed right after picking the procedure with Enter can reach the procedure's search
  // box before the focus has moved on: they are the start of the name and go there, never lost.
  const forwardToName = useRef(false);
  const [procedureSearch, setProcedureSearch] = useState('');
  // Focus the procedure list once the screen is ready (antd's autoFocus leaves the Select half-focused, and
  // Enter then does not pick the highlighted procedure).
  useEffect(() => {
    if (!procedures.isLoading) {
      procedureRef.current?.focus();
    }
  }, [procedures.isLoading]);
  const procedureCode = Form.useWatch('procedureCode', form);
  const phone = Form.useWatch('phone', form) ?? '';
  const phoneInfo = phoneState(phone);
  const channel = Form.useWatch('channel', form) ?? 'direct';
  const procedure = procedures.data?.find((p) => p.code === procedureCode);

  const preview = useQuery({
    queryKey: ['appointment-preview', procedureCode, channel],
    queryFn: () =>
      api.get<TAppointmentPreview>(`/api/dossiers/appointment-preview${query({ procedureCode, channel })}`),
    enabled: Boolean(procedureCode),
    refetchInterval: 60_000,
  });

  const options = useMemo(
    () =>
      (procedures.data ?? []).map((p) => ({
        value: p.code,
        label: `${p.name} (${p.code})`,
        search: `${p.code} ${p.name} ${p.field}`,
      })),
    [procedures.data],
  );

  const onProcedure = (code: string) => {
    preloadIntakeDone();
    const p = procedures.data?.find((x) => x.code === code);
    form.setFieldValue('documents', p?.documents.map((d) => d.name) ?? []);
    // Choosing the procedure is step one: go straight on to the applicant's name, so what the officer types
    // next lands there and not in the procedure search (at once, and again once the list has closed).
    forwardToName.current = true;
    nameRef.current?.focus();
    setTimeout(() => {
      // Again only if the closing list took the focus back: on a slow machine the officer may already have
      // typed the name and tabbed on, and pulling the focus back would send the next field's keys to the name.
      const active = document.activeElement;
      if (!active || active === document.body || active.id === 'procedureCode') {
        nameRef.current?.focus();
      }
    }, 0);
  };

  const onProcedureSearch = (text: string) => {
    if (forwardToName.current && text) {
      form.setFieldValue('fullName', `${form.getFieldValue('fullName') ?? ''}${text}`);
      setProcedureSearch('');
      nameRef.current?.focus({ cursor: 'end' });
      return;
    }
    setProcedureSearch(text);
  };

  const submit = async (values: Values) => {
    setError(undefined);
    const body = {
      procedureCode: values.procedureCode ?? '',
      applicant: {
        fullName: values.fullName ?? '',
        idNumber: values.idNumber ?? '',
        birthDate: values.birthDate ? values.birthDate.format('YYYY-MM-DD') : undefined,
        address: values.address ?? '',
        phone: values.phone ?? '',
        email: values.email ?? '',
      },
      notifyByZalo: Boolean(values.notifyByZalo),
      receivedDocuments: (procedure?.documents ?? [])
        .filter((d) => values.documents?.includes(d.name))
        .map((d) => ({ name: d.name, form: d.form, quantity: d.quantity })),
      copies: values.copies ?? 1,
      note: values.note ?? '',
      channel: values.channel ?? 'direct',
    };
    // The same checks as the server, so every mistake shows at once, in Vietnamese, before sending.
    // Today in Vietnam, as the server checks it: the browser's own zone may be another (UTC on a kiosk).
    const checked = checkIntake(body, vnToday());
    if (!checked.ok) {
      form.setFields(
        checked.problems
          .filter((p) => FIELD_OF[p.field])
          .map((p) => ({ name: FIELD_OF[p.field]!, errors: [p.userMessage] })),
      );
      return;
    }
    setBusy(true);
    try {
      setSaved(await api.post<TDossierView>('/api/dossiers', body));
    } catch (err) {
      const fields = (err as { fieldErrors?: () => Record<string, string> }).fieldErrors?.() ?? {};
      const mapped = Object.entries(fields).filter(([f]) => FIELD_OF[f]);
      form.setFields(mapped.map(([f, m]) => ({ name: FIELD_OF[f]!, errors: [m] })));
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    forwardToName.current = false;
    setSaved(undefined);
    setError(undefined);
    form.resetFields();
    setTimeout(() => procedureRef.current?.focus(), 0);
  };

  if (saved) {
    return <LazyIntakeDone dossier={saved} onNext={next} />;
  }

  return (
    <Card title="Tiếp nhận hồ sơ">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ copies: 1, channel: 'direct', notifyByZalo: false }}
      >
        <Form.Item
          label="Thủ tục hành chính"
          name="procedureCode"
          rules={[{ required: true, message: 'Vui lòng chọn thủ tục hành chính.' }]}
        >
          <Select
            ref={procedureRef as never}
            showSearch
            placeholder="Gõ tên hoặc mã thủ tục, không cần dấu: “cap ban sao”"
            loading={procedures.isLoading}
            options={options}
            filterOption={(input, option) => matchesSearch(option?.search ?? '', input)}
            searchValue={procedureSearch}
            onSearch={onProcedureSearch}
            // The officer came back to the list on purpose: what they type searches again.
            onMouseDown={() => {
              forwardToName.current = false;
            }}
            onChange={onProcedure}
            notFoundContent="Không có thủ tục phù hợp"
            aria-label="Thủ tục hành chính"
          />
        </Form.Item>
        {procedure && (
          <Alert
            type="info"
            style={{ marginBottom: 16 }}
            message={
              <span>
                Thời hạn giải quyết: <b>{limitLabel(procedure.processingDays, procedure.deadlineUnit)}</b>
                {' · '}Lệ phí: <b>{procedure.feeVnd > 0 ? formatMoney(procedure.feeVnd) : 'không'}</b>
                {procedure.feeNote ? ` (${procedure.feeNote})` : ''}
                {' · '}Ngày hẹn trả nếu tiếp nhận bây giờ:{' '}
                <b data-testid="appointment-preview">
                  {preview.data ? formatDate(preview.data.appointmentDate) : '…'}
                </b>
                {procedure.cutoffTime && (
                  <Typography.Text type="secondary" style={{ display: 'block' }} data-testid="cutoff-note">
                    Tiếp nhận sau {procedure.cutoffTime.replace(':', ' giờ ')}:{' '}
                    {procedure.processingDays === 0
                      ? 'trả kết quả trong ngày làm việc tiếp theo'
                      : 'tính là tiếp nhận vào ngày làm việc tiếp theo'}
                    {procedure.cutoffBasis ? ` (${procedure.cutoffBasis})` : ''}.
                  </Typography.Text>
                )}
              </span>
            }
          />
        )}
        {procedure && preview.data?.appointmentDateBasis === 'proposed' && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="appointment-basis"
            message={proposedYearsNotice(preview.data.appointmentProposedYears)}
          />
        )}
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="Họ và tên người nộp"
              name="fullName"
              rules={[{ required: true, message: 'Vui lòng nhập họ và tên người nộp hồ sơ.' }]}
            >
              <Input
                ref={nameRef}
                maxLength={INTAKE_LIMITS.fullName}
                autoComplete="off"
                onKeyDown={() => {
                  forwardToName.current = false;
                }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item
              label="Số CCCD/định danh"
              name="idNumber"
              rules={[
                { pattern: /^\s*(\d\s*){12}$/, message: 'Số CCCD phải gồm đúng 12 chữ số.' },
                { required: true, message: 'Vui lòng nhập số CCCD.' },
              ]}
            >
              <Input inputMode="numeric" maxLength={15} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <SkipClearButtons>
              <Form.Item label="Ngày sinh" name="birthDate">
                <DatePicker
                  format="DD/MM/YYYY"
                  placeholder="dd/mm/yyyy"
                  style={{ width: '100%' }}
                  disabledDate={(d) => d.format('YYYY-MM-DD') > vnToday()}
                />
              </Form.Item>
            </SkipClearButtons>
          </Col>
        </Row>
        <Form.Item label="Địa chỉ" name="address">
          <Input maxLength={INTAKE_LIMITS.address} autoComplete="off" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label="Điện thoại liên hệ"
              name="phone"
              rules={[{ required: true, message: 'Vui lòng nhập số điện thoại liên hệ.' }]}
              extra={<PhoneHint info={phoneInfo} />}
            >
              <Input inputMode="tel" placeholder="0912 345 678" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="Email"
              name="email"
              rules={[{ type: 'email', message: 'Địa chỉ email không hợp lệ.' }]}
            >
              <Input type="email" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="notifyByZalo"
          valuePropName="checked"
          extra={
            phoneInfo.ok && !phoneInfo.mobile
              ? 'Số cố định không dùng được Zalo: cần số điện thoại di động của người nộp.'
              : 'Số điện thoại phải là số đã đăng ký Zalo của chính người nộp.'
          }
        >
          <Checkbox disabled={phoneInfo.ok && !phoneInfo.mobile}>
            Đăng ký nhận thông báo trạng thái hồ sơ qua Zalo
          </Checkbox>
        </Form.Item>
        {procedure && (
          <Form.Item label="Thành phần hồ sơ đã nhận" name="documents">
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
              {procedure.documents.map((d) => (
                <Checkbox key={d.name} value={d.name}>
                  {d.name}{' '}
                  <Typography.Text type="secondary">
                    ({d.form}, {d.quantity})
                  </Typography.Text>
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Form.Item label="Số lượng hồ sơ (bộ)" name="copies">
              <InputNumber min={1} max={INTAKE_LIMITS.copies} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={18}>
            <Form.Item label="Hình thức nộp" name="channel">
              <Radio.Group options={Object.entries(CHANNELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="Ghi chú" name="note">
          <Input.TextArea rows={2} maxLength={INTAKE_LIMITS.note} />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" loading={busy} icon={<PrinterOutlined />}>
          Tiếp nhận và cấp mã hồ sơ
        </Button>
      </Form>
    </Card>
  );
}
