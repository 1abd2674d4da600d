import type { TDossierRating } from '@contracts/ratings.ts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../ui/format.ts';
import { QueryState } from '../../ui/QueryState.tsx';
import { RatingStars } from './RatingStars.tsx';

/** The citizen's rating of a dossier on its page: stars, reasons, comment, and the leader's answer to a low one. */
export function DossierRatingCard({ code }: { code: string }) {
  const rating = useQuery({
    queryKey: ['dossier-rating', code],
    queryFn: () => api.get<TDossierRating>(`/api/dossiers/${encodeURIComponent(code)}/rating`),
  });
  const r = rating.data;
  return (
    <Card title="Đánh giá của người dân" size="small" style={{ marginTop: 16 }} data-testid="dossier-rating">
      <QueryState loading={rating.isLoading} error={rating.error} retry={() => void rating.refetch()}>
        {r && !r.invitedAt && (
          <Typography.Text type="secondary">Người dân được mời đánh giá khi hồ sơ kết thúc.</Typography.Text>
        )}
        {r?.invitedAt && !r.rating && (
          <Typography.Text type="secondary">
            Đã mời đánh giá lúc {formatDateTime(r.invitedAt)}; người dân chưa đánh giá.
          </Typography.Text>
        )}
        {r?.rating && (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="Mức độ hài lòng">
              <Space>
                <RatingStars stars={r.rating.stars} />
                <Tag>{r.rating.channel === 'zalo' ? 'Qua Zalo' : 'Qua trang đánh giá'}</Tag>
              </Space>
            </Descriptions.Item>
            {r.rating.reasons.length > 0 && (
              <Descriptions.Item label="Ghi nhận">
                {r.rating.reasons.map((x) => (
                  <Tag key={x.key}>{x.label}</Tag>
                ))}
              </Descriptions.Item>
            )}
            {r.rating.comment && (
              <Descriptions.Item label="Góp ý">
                <span style={{ whiteSpace: 'pre-wrap' }}>{r.rating.comment}</span>
              </Descriptions.Item>
            )}
            <Descriptions.Item label="Thời gian">
              {formatDateTime(r.rating.ratedAt)}
              {r.rating.revisions > 0 ? ` (đã sửa ${r.rating.revisions} lần)` : ''}
            </Descriptions.Item>
          </Descriptions>
        )}
        {r?.followUp && (
          <Alert
            type={r.followUp.answer ? 'success' : 'warning'}
            showIcon
            message={
              r.followUp.answer
                ? `Lãnh đạo ${r.followUp.answeredBy ?? ''} đã trả lời lúc ${formatDateTime(r.followUp.answeredAt)}`
                : 'Đánh giá chưa hài lòng: chờ lãnh đạo trả lời'
            }
            description={r.followUp.answer ?? undefined}
          />
        )}
      </QueryState>
    </Card>
  );
}
