import { normalisePhone } from './phone.ts';
import { CHANNELS, type Channel } from './statuses.ts';
import { cleanMultiline, cleanText } from './text.ts';

/** Limits shared by the intake screen and the server. */
export const INTAKE_LIMITS = {
  fullName: 100,
  address: 300,
  email: 254,
  note: 2000,
  documentName: 300,
  documents: 50,
  copies: 99,
} as const;

/** The intake request after JSON parsing (the zod schema lives in intake-schema.ts, kept out of the browser). */
export interface IntakeInput {
  procedureCode: string;
  applicant: {
    fullName: string;
    idNumber: string;
    birthDate?: string;
    address?: string;
    phone: string;
    email?: string;
  };
  notifyByZalo: boolean;
  receivedDocuments?: (string | { name: string; form?: string; quantity?: number })[];
  copies?: number;
  note?: string;
  channel: 'direct' | 'post' | 'online';
}

export interface IntakeProblem {
  field: string;
  message: string;
  userMessage: string;
}

export interface ValidIntake {
  procedureCode: string;
  applicant: {
    fullName: string;
    idNumber: string;
    birthDate: string | null;
    address: string;
    phone: string;
    phoneIsMobile: boolean;
    phoneConvertedFrom: string | null;
    email: string | null;
  };
  notifyByZalo: boolean;
  receivedDocuments: { name: string; form: string; quantity: number }[] | null;
  copies: number;
  note: string;
  channel: Channel;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ID_NUMBER = /^\d{12}$/;

/**
 * Cleans and checks an intake request: every problem is reported at once, each with a precise English
 * message and the Vietnamese sentence the officer sees. `today` bounds the birth date.
 */
export function checkIntake(
  input: IntakeInput,
  today: string,
): { ok: true; value: ValidIntake } | { ok: false; problems: IntakeProblem[] } {
  const problems: IntakeProblem[] = [];
  const problem = (field: string, message: string, userMessage: string) =>
    problems.push({ field, message, userMessage });

  const procedureCode = cleanText(input.procedureCode);
  if (!procedureCode) {
    problem('procedureCode', 'procedureCode is required', 'Vui lòng chọn thủ tục hành chính.');
  }

  const fullName = cleanText(input.applicant.fullName);
  if (!fullName) {
    problem('applicant.fullName', 'fullName is required', 'Vui lòng nhập họ và tên người nộp hồ sơ.');
  } else if (fullName.length > INTAKE_LIMITS.fullName) {
    problem(
      'applicant.fullName',
      `fullName is longer than ${INTAKE_LIMITS.fullName} characters`,
      `Họ và tên không được dài quá ${INTAKE_LIMITS.fullName} ký tự.`,
    );
  } else if (/[\d<>@#$%^*={}[\]|\\]/.test(fullName)) {
    problem(
      'applicant.fullName',
      'fullName contains digits or symbols',
      'Họ và tên không được chứa chữ số hoặc ký hiệu.',
    );
  }

  const idNumber = input.applicant.idNumber.normalize('NFKC').replace(/[\s.]/g, '');
  if (!ID_NUMBER.test(idNumber)) {
    problem(
      'applicant.idNumber',
      'idNumber must be exactly 12 digits',
      'Số CCCD/số định danh cá nhân phải gồm đúng 12 chữ số.',
    );
  }

  let birthDate: string | null = null;
  const rawBirth = input.applicant.birthDate?.trim();
  if (rawBirth) {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(rawBirth) && !Number.isNaN(Date.parse(`${rawBirth}T00:00:00Z`));
    if (!valid || new Date(`${rawBirth}T00:00:00Z`).toISOString().slice(0, 10) !== rawBirth) {
      problem('applicant.birthDate', 'birthDate must be a date YYYY-MM-DD', 'Ngày sinh không hợp lệ.');
    } else if (rawBirth > today || rawBirth < '1900-01-01') {
      problem('applicant.birthDate', 'birthDate is in the future or before 1900', 'Ngày sinh không hợp lệ.');
    } else {
      birthDate = rawBirth;
    }
  }

  const address = cleanText(input.applicant.address ?? '');
  if (address.length > INTAKE_LIMITS.address) {
    problem(
      'applicant.address',
      `address is longer than ${INTAKE_LIMITS.address} characters`,
      `Địa chỉ không được dài quá ${INTAKE_LIMITS.address} ký tự.`,
    );
  }

  const phone = normalisePhone(input.applicant.phone);
  if (!phone.ok) {
    problem('applicant.phone', phone.message, phone.userMessage);
  } else if (input.notifyByZalo && !phone.mobile) {
    problem(
      'notifyByZalo',
      'notifyByZalo requires a mobile phone number',
      'Đăng ký nhận thông báo qua Zalo cần số điện thoại di động (số cố định không dùng được Zalo).',
    );
  }

  const emailText = cleanText(input.applicant.email ?? '').toLowerCase();
  if (emailText && (emailText.length > INTAKE_LIMITS.email || !EMAIL.test(emailText))) {
    problem('applicant.email', 'email is not a valid address', 'Địa chỉ email không hợp lệ.');
  }

  let receivedDocuments: ValidIntake['receivedDocuments'] = null;
  if (input.receivedDocuments) {
    if (input.receivedDocuments.length > INTAKE_LIMITS.documents) {
      problem(
        'receivedDocuments',
        `at most ${INTAKE_LIMITS.documents} documents`,
        `Thành phần hồ sơ không được quá ${INTAKE_LIMITS.documents} giấy tờ.`,
      );
    }
    receivedDocuments = input.receivedDocuments.map((d) =>
      typeof d === 'string'
        ? { name: cleanText(d), form: 'Bản chính', quantity: 1 }
        : {
            name: cleanText(d.name),
            form: cleanText(d.form ?? '') || 'Bản chính',
            quantity: d.quantity ?? 1,
          },
    );
    receivedDocuments.forEach((d, i) => {
      if (!d.name || d.name.length > INTAKE_LIMITS.documentName) {
        problem(
          `receivedDocuments.${i}.name`,
          `document name must be 1–${INTAKE_LIMITS.documentName} characters`,
          `Tên giấy tờ thứ ${i + 1} không hợp lệ.`,
        );
      }
      if (d.quantity < 1 || d.quantity > 99) {
        problem(
          `receivedDocuments.${i}.quantity`,
          'quantity must be 1–99',
          `Số lượng giấy tờ thứ ${i + 1} phải từ 1 đến 99.`,
        );
      }
    });
  }

  const copies = input.copies ?? 1;
  if (copies < 1 || copies > INTAKE_LIMITS.copies) {
    problem(
      'copies',
      `copies must be 1–${INTAKE_LIMITS.copies}`,
      `Số lượng hồ sơ phải từ 1 đến ${INTAKE_LIMITS.copies} bộ.`,
    );
  }

  const note = cleanMultiline(input.note ?? '');
  if (note.length > INTAKE_LIMITS.note) {
    problem(
      'note',
      `note is longer than ${INTAKE_LIMITS.note} characters`,
      `Ghi chú không được dài quá ${INTAKE_LIMITS.note} ký tự.`,
    );
  }

  if (problems.length > 0 || !phone.ok) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: {
      procedureCode,
      applicant: {
        fullName,
        idNumber,
        birthDate,
        address,
        phone: phone.stored,
        phoneIsMobile: phone.mobile,
        phoneConvertedFrom: phone.convertedFrom ?? null,
        email: emailText || null,
      },
      notifyByZalo: input.notifyByZalo,
      receivedDocuments,
      copies,
      note,
      channel: input.channel in CHANNELS ? input.channel : 'direct',
    },
  };
}
