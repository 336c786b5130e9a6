import { randomUUID } from 'node:crypto';
import { DatabaseService } from '../database/database.service';
import { unlockText } from './case-crypto';
import { CaseAttachment } from './case-attachment.entity';
import { MessageAuthor } from './case-enums';
import { CaseMessage } from './case-message.entity';
import { WhistleblowerCaseRecord } from './whistleblower-case.entity';
import type { AttachmentInfo } from './report-intake.service';

/** The SQL both sides of a case share (the reporter's intake and the handlers), in the request's transaction. */

/** A case's content opened with its report key (both sides use it). */
export async function loadCase(db: DatabaseService, caseId: string, reportKey: Uint8Array) {
  const em = await db.em();
  const row = await em.findOneByOrFail(WhistleblowerCaseRecord, { id: caseId });
  const messages = await em.find(CaseMessage, { where: { caseId }, order: { seq: 'ASC' } });
  const attachments = await em.find(CaseAttachment, {
    select: { id: true, meta: true, addedOn: true },
    where: { caseId },
    order: { addedOn: 'ASC', id: 'ASC' },
  });
  return {
    status: row.status,
    category: row.category,
    receivedOn: row.receivedOn,
    text: (JSON.parse(unlockText(row.content, reportKey)) as { text: string }).text,
    messages: messages.map((m) => ({ from: m.author, body: unlockText(m.body, reportKey), at: m.sentOn })),
    attachments: attachments.map((a) => ({
      id: a.id,
      ...(JSON.parse(unlockText(a.meta, reportKey)) as Omit<AttachmentInfo, 'id' | 'addedOn'>),
      addedOn: a.addedOn,
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
