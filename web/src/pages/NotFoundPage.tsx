import { Button, Result } from 'antd';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="Không tìm thấy trang"
      subTitle="Trang bạn tìm không tồn tại hoặc bạn không có quyền xem."
      extra={
        <Link to="/ho-so">
          <Button type="primary">Về danh sách hồ sơ</Button>
        </Link>
      }
    />
  );
}
