import { messageId, type SandboxMessage, type SandboxState, type ZaloUser } from './state.ts';
import { dispatchEvent } from './webhooks.ts';

/**
 * What a citizen does in the Zalo app, as the phone simulator drives it: follow and unfollow the OA, send it
 * text, links and images. Each action produces the signed webhook Zalo would send.
 */
export class CitizenActionError extends Error {}

function onZalo(state: SandboxState, phone: string): ZaloUser {
  const user = state.userByPhone(phone);
  if (!user) {
    throw new CitizenActionError('Số điện thoại này chưa đăng ký Zalo.');
  }
  return user;
}

export function follow(state: SandboxState, phone: string, source = 'oa_profile'): ZaloUser {
  const user = onZalo(state, phone);
  const now = Date.now();
  user.follower = true;
  user.followedAt = now;
  user.lastInteractionAt = now;
  dispatchFollowChange(state, user, 'follow', source);
  return user;
}

export function unfollow(state: SandboxState, phone: string): ZaloUser {
  const user = onZalo(state, phone);
  user.follower = false;
  dispatchFollowChange(state, user, 'unfollow', 'oa_profile');
  return user;
}

/** The `follow` / `unfollow` webhook Zalo posts when a citizen follows the OA or stops following it. */
function dispatchFollowChange(
  state: SandboxState,
  user: ZaloUser,
  eventName: 'follow' | 'unfollow',
  source: string,
): void {
  dispatchEvent(state, {
    event_name: eventName,
    oa_id: state.options.oaId,
    follower: { id: user.uid },
    user_id_by_app: `app_${user.uid}`,
    source,
  });
}

/** A message typed to the OA: text, or a link when it is a URL (user_send_link), or an image. */
export function sendToOa(
  state: SandboxState,
  phone: string,
  input: { text?: string; imageUrl?: string; hidden?: boolean },
): SandboxMessage {
  const user = onZalo(state, phone);
  const now = Date.now();
  user.lastInteractionAt = now;
  const text = (input.text ?? '').trim();
  const isLink = /^https?:\/\/\S+$/i.test(text);
  const kind: SandboxMessage['kind'] = input.imageUrl ? 'image' : isLink ? 'link' : 'text';
  const msg: SandboxMessage = {
    msgId: messageId(),
    direction: 'user_to_oa',
    kind,
    phone,
    uid: user.uid,
    text: input.imageUrl ?? text,
    sentAt: now,
    deliveredAt: now,
    ...(input.hidden ? { hidden: true } : {}),
  };
  state.messages.push(msg);
  const common = {
    sender: { id: user.uid },
    recipient: { id: state.options.oaId },
    user_id_by_app: `app_${user.uid}`,
  };
  if (kind === 'text') {
    dispatchEvent(state, { event_name: 'user_send_text', ...common, message: { text, msg_id: msg.msgId } });
  } else if (kind === 'link') {
    dispatchEvent(state, {
      event_name: 'user_send_link',
      ...common,
      message: {
        text: '',
        msg_id: msg.msgId,
        attachments: [{ type: 'link', payload: { url: text, title: text } }],
      },
    });
  } else {
    dispatchEvent(state, {
      event_name: 'user_send_image',
      ...common,
      message: {
        text: '',
        msg_id: msg.msgId,
        attachments: [{ type: 'image', payload: { url: input.imageUrl, thumbnail: input.imageUrl } }],
      },
    });
  }
  return msg;
}

/** The conversation of a phone with the OA, oldest first. */
export function thread(
  state: SandboxState,
  phone: string,
): { user: ZaloUser | undefined; onZalo: boolean; messages: SandboxMessage[] } {
  const user = [...state.users.values()].find((u) => u.phone === phone);
  return {
    user,
    onZalo: state.isOnZalo(phone),
    messages: state.messages
      .filter((m) => m.phone === phone || (user && m.uid === user.uid))
      .sort((a, b) => a.sentAt - b.sentAt),
  };
}

/**
 * The citizen taps stars on a rating template's message (type 5) and sends: Zalo posts `user_feedback` to the
 * OA (fields as in docs/ratings.md). Rating the same message again is allowed, as Zalo does; each submission
 * is an event of its own.
 */
export function rateMessage(
  state: SandboxState,
  phone: string,
  msgId: string,
  input: { rate: number; feedbacks: string[]; note: string },
): SandboxMessage {
  const user = onZalo(state, phone);
  const msg = state.messages.find((m) => m.msgId === msgId && m.phone === phone && m.rating);
  if (!msg?.rating) {
    throw new CitizenActionError('Tin nhắn này không có phần đánh giá.');
  }
  if (!Number.isInteger(input.rate) || input.rate < 1 || input.rate > 5) {
    throw new CitizenActionError('Vui lòng chọn từ 1 đến 5 sao.');
  }
  const now = Date.now();
  const feedbacks = input.feedbacks.filter((f) => msg.rating!.options.includes(f));
  const note = input.note.trim().slice(0, 500);
  msg.rating.submitted = { rate: input.rate, feedbacks, note, at: now };
  user.lastInteractionAt = now;
  dispatchEvent(
    state,
    {
      event_name: 'user_feedback',
      oa_id: state.options.oaId,
      user_id_by_app: `app_${user.uid}`,
      message: {
        note,
        rate: input.rate,
        submit_time: String(now),
        msg_id: msg.msgId,
        feedbacks,
        tracking_id: msg.trackingId ?? '',
      },
    },
    'ZNS',
  );
  return msg;
}
