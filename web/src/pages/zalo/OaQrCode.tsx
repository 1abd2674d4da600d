import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { errorText } from '../../ui/QueryState.tsx';

/** The OA's QR code on the look-up page, the help page and the desk poster: generated, or uploaded. */
export function OaQrCode() {
  const { message } = App.useApp();
  // A new URL after each change makes the browser fetch the image again.
  const [version, setVersion] = useState(0);
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const res = await fetch('/api/zalo/oa-qr', {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': file.type },
        body: file,
      });
      if (!res.ok) {
        const problem = (await res.json().catch(() => ({}))) as { userMessage?: string };
        throw new Error(problem.userMessage ?? 'Không tải được ảnh lên.');
      }
    },
    onSuccess: async () => {
      setVersion((v) => v + 1);
      void message.success('Đã cập nhật mã QR của OA.');
    },
    onError: (err) => message.error(err.message),
  });
  const reset = useMutation({
    mutationFn: () => api.delete('/api/zalo/oa-qr'),
    onSuccess: async () => {
      setVersion((v) => v + 1);
      void message.success('Đã chuyển về mã QR tạo tự động từ đường dẫn OA.');
    },
    onError: (err) => message.error(errorText(err)),
  });
  return (
    <Card title="Mã QR của OA">
      <Space align="start" size={16} wrap>
        <img src={`/qrcode/zalo-qrcode.jpg?v=${version}`} alt="Mã QR của OA" width={160} height={160} />
        <Space direction="vertical">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0, maxWidth: 520 }}>
            Mặc định mã QR được tạo từ đường dẫn zalo.me của OA (khi dùng Zalo sandbox: địa chỉ điện thoại mô
            phỏng). Có thể thay bằng ảnh mã QR tải từ trang quản lý OA (JPEG hoặc PNG, tối đa 1 MB). Mã QR
            xuất hiện trên trang tra cứu, trang hướng dẫn và áp phích.
          </Typography.Paragraph>
          <Space wrap>
            <Button loading={upload.isPending} onClick={() => document.getElementById('oa-qr-file')?.click()}>
              Tải ảnh mã QR lên
            </Button>
            <input
              id="oa-qr-file"
              type="file"
              accept="image/jpeg,image/png"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) {
                  upload.mutate(file);
                }
              }}
            />
            <Button loading={reset.isPending} onClick={() => reset.mutate()}>
              Dùng mã QR tạo tự động
            </Button>
            <Button href="/qrcode/tra-cuu-zalo.pdf" target="_blank">
              In áp phích A4
            </Button>
          </Space>
        </Space>
      </Space>
    </Card>
  );
}
