import type { TAgency, TProcedureView } from '@contracts/procedures.ts';
import type { TMe } from '@contracts/users.ts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client.ts';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => api.get<TMe>('/api/auth/me'),
  retry: false,
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

export const proceduresQuery = (all = false) =>
  queryOptions({
    queryKey: ['procedures', all],
    queryFn: () => api.get<TProcedureView[]>(`/api/procedures${all ? '?all=true' : ''}`),
    staleTime: 60_000,
  });

export function useProcedures(all = false) {
  return useQuery(proceduresQuery(all));
}

export function useAgencies() {
  return useQuery({
    queryKey: ['agencies'],
    queryFn: () => api.get<TAgency[]>('/api/agencies'),
    staleTime: 300_000,
  });
}
