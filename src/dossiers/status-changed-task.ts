/** The job every status change enqueues in its own transaction (consumed by the notification pipeline). */
export const STATUS_CHANGED_TASK = 'dossier.status_changed';
