import { Rate } from 'antd';

/** Stars read-only, with the number spelled out for screen readers. */
export function RatingStars({ stars }: { stars: number }) {
  return (
    <span title={`${stars}/5`}>
      <Rate disabled value={stars} style={{ fontSize: 14 }} aria-hidden="true" />
      <span className="visually-hidden">{`${stars} trên 5 sao`}</span>
    </span>
  );
}
