import { randomUUID } from 'node:crypto';
import { DatabaseService } from '../database/database.service';
import { unlockText } from './case-crypto';
import { CaseStatus, MessageAuthor, ReportCategory } from './case-enums';
import type { AttachmentInfo } from './report-intake.service';

/** The SQL both sides of a case share (the reporter's intake and the handlers), in the request's transaction. */

/** A case's content opened with its report key (both sides use it). */
export async function loadCase(db: DatabaseService, caseId: string, reportKey: Uint8Array) {
  const em = await db.em();
  const [row] = await em.query(
    `SELECT status, category, received_on::text, content FROM whistleblower_cases WHERE id = $1`,
    [caseId],
  );
  const messages: { author: MessageAuthor; body: Buffer; sent_on: string }[] = await em.query(
    `SELECT author, body, sent_on::text FROM whistleblower_messages WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  );
  const attachments: { id: string; meta: Buffer; added_on: string }[] = await em.query(
    `SELECT id, meta, added_on::text FROM whistleblower_attachments WHERE case_id = $1 ORDER BY added_on, id`,
    [caseId],
  );
  return {
    status: row.status as CaseStatus,
    category: row.category as ReportCategory,
    receivedOn: row.received_on,
    text: (JSON.parse(unlockText(row.content, reportKey)) as { text: string }).text,
    messages: messages.map((m) => ({ from: m.author, body: unlockText(m.body, reportKey), at: m.sent_on })),
    attachments: attachments.map((a) => ({
      id: a.id,
      ...(JSON.parse(unlockText(a.meta, reportKey)) as Omit<AttachmentInfo, 'id' | 'addedOn'>),
      addedOn: a.added_on,
    })),
  };
}

/** Appends a message (sealed by the caller) under the case's row lock, so sequence numbers never collide. */
export async function addMessage(
  db: DatabaseService,
  caseId: string,
  author: MessageAuthor,
  userId: string | null,
  body: Buffer,
): Promise<void> {
  const em = await db.em();
  await em.query(`SELECT 1 FROM whistleblower_cases WHERE id = $1 FOR UPDATE`, [caseId]);
  await em.query(
    `INSERT INTO whistleblower_messages (id, case_id, seq, author, author_user_id, body)
     VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM whistleblower_messages WHERE case_id = $2), $3, $4, $5)`,
    [randomUUID(), caseId, author, userId, body],
  );
  await em.query(`UPDATE whistleblower_cases SET updated_on = current_date WHERE id = $1`, [caseId]);
}
