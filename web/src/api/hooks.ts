import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Agency, Me, TProcedureView } from './types.ts';

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: () => api.get<Me>('/api/auth/me'),
    retry: false,
    staleTime: 60_000,
  });
}

export function useProcedures(all = false) {
  return useQuery({
    queryKey: ['procedures', all],
    queryFn: () => api.get<TProcedureView[]>(`/api/procedures${all ? '?all=true' : ''}`),
    staleTime: 60_000,
  });
}

export function useAgencies() {
  return useQuery({
    queryKey: ['agencies'],
    queryFn: () => api.get<Agency[]>('/api/agencies'),
    staleTime: 300_000,
  });
}
