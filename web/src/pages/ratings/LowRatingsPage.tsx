import type { TFollowUp } from '@contracts/ratings.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { QueryState } from '../../ui/QueryState.tsx';
import { RatingStars } from './RatingStars.tsx';

/** Đánh giá chưa hài lòng: ratings of 2 stars or fewer for the leader to answer; the answer is recorded. */
export function LowRatingsPage() {
  const [state, setState] = useState<'open' | 'all'>('open');
  const [answering, setAnswering] = useState<TFollowUp>();
  const list = useQuery({
    queryKey: ['follow-ups', state],
    queryFn: () => api.get<{ items: TFollowUp[] }>(`/api/ratings/follow-ups?state=${state}`),
  });
  return (
    <Card
      title="Đánh giá chưa hài lòng"
      extra={
        <Segmented
          value={state}
          onChange={(v) => setState(v as 'open' | 'all')}
          options={[
            { value: 'open', label: 'Chờ trả lời' },
            { value: 'all', label: 'Tất cả' },
          ]}
        />
      }
    >
      <QueryState loading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        <Table<TFollowUp>
          rowKey="code"
          data-testid="follow-ups"
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText:
              state === 'open' ? 'Không có đánh giá nào chờ trả lời.' : 'Chưa có đánh giá chưa hài lòng.',
          }}
          columns={[
            {
              title: 'Hồ sơ',
              dataIndex: 'code',
              render: (code: string, r) => (
                <Space direction="vertical" size={0}>
                  <Link to={`/ho-so/${encodeURIComponent(code)}`}>{code}</Link>
                  <Typography.Text type="secondary">{r.procedureName}</Typography.Text>
                </Space>
              ),
            },
            {
              title: 'Đánh giá',
              dataIndex: 'stars',
              width: 130,
              render: (s: number) => <RatingStars stars={s} />,
            },
            {
              title: 'Ý kiến',
              render: (_, r) => (
                <div>
                  {r.reasons.map((x) => (
                    <Tag key={x.key}>{x.label}</Tag>
                  ))}
                  {r.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{r.comment}</div>}
                </div>
              ),
            },
            { title: 'Lúc', dataIndex: 'ratedAt', width: 150, render: (v: string) => formatDateTime(v) },
            {
              title: 'Trả lời',
              width: 260,
              render: (_, r) =>
                r.answer ? (
                  <div>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{r.answer}</div>
                    <Typography.Text type="secondary">
                      {r.answeredBy} · {formatDateTime(r.answeredAt)}
                    </Typography.Text>
                  </div>
                ) : (
                  <Button type="primary" onClick={() => setAnswering(r)}>
                    Trả lời
                  </Button>
                ),
            },
          ]}
        />
      </QueryState>
      {answering && <AnswerDialog item={answering} onClose={() => setAnswering(undefined)} />}
    </Card>
  );
}

function AnswerDialog({ item, onClose }: { item: TFollowUp; onClose: () => void }) {
  const [form] = Form.useForm<{ answer: string }>();
  const { message } = App.useApp();
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (answer: string) =>
      api.post(`/api/ratings/follow-ups/${encodeURIComponent(item.code)}/answer`, { answer }),
    onSuccess: async () => {
      void message.success('Đã ghi nhận câu trả lời.');
      await client.invalidateQueries({ queryKey: ['follow-ups'] });
      await client.invalidateQueries({ queryKey: ['rating-summary'] });
      onClose();
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.userMessage : 'Không lưu được câu trả lời.'),
  });
  return (
    <Modal
      open
      title={`Trả lời đánh giá hồ sơ ${item.code}`}
      okText="Ghi nhận"
      cancelText="Hủy"
      confirmLoading={save.isPending}
      onOk={() => void form.validateFields().then((v) => save.mutate(v.answer))}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="answer"
          label="Nội dung trả lời (việc đã làm: liên hệ người dân, nhắc nhở cán bộ…)"
          rules={[{ required: true, min: 5, max: 2000, message: 'Nhập từ 5 đến 2000 ký tự.' }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
