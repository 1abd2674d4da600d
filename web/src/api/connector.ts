import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

/** The agency's desk mode (src/connector): 'connected' when the province's one-stop software runs it. */
export interface DeskMode {
  mode: 'own' | 'connected';
  label: string;
}

/** `enabled`: false until someone is signed in (the menu's frame asks before it knows). */
export function useDeskMode(enabled = true) {
  return useQuery({
    queryKey: ['desk-mode'],
    queryFn: () => api.get<DeskMode>('/api/connector/desk-mode'),
    staleTime: 60_000,
    enabled,
  });
}

/** Whether dossiers are received and moved in the province's one-stop software, not here. */
export function useConnectedAgency(): boolean {
  return useDeskMode().data?.mode === 'connected';
}

/** Shown where officers of a connected agency would otherwise receive or move dossiers. */
export const CONNECTED_NOTICE =
  'Cơ quan đang kết nối với phần mềm một cửa của tỉnh: hồ sơ được tiếp nhận và chuyển trạng thái trên phần mềm đó. ' +
  'Tại đây bạn xem hồ sơ, lịch sử xử lý, thông báo gửi công dân và thống kê.';
