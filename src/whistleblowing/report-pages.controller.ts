import {
  ArgumentsHost,
  Body,
  CallHandler,
  Catch,
  Controller,
  ExceptionFilter,
  ExecutionContext,
  Get,
  HttpException,
  Injectable,
  mixin,
  NestInterceptor,
  PayloadTooLargeException,
  Post,
  Req,
  Res,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { from, Observable, switchMap } from 'rxjs';
import { AppError, ErrorCode, HTTP_STATUS } from '../common/errors';
import { IntakeGuardService, IntakePurpose } from './intake-guard.service';
import { UploadBudget } from './upload-budget';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { Socket } from 'node:net';
import { GraphQLError } from 'graphql';
import { Public } from '../common/decorators';
import { DatabaseService } from '../database/database.service';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, ReportCategory } from './case-enums';
import { casePage, errorBox, errorPage, followUpForm, notice, receiptPage, reportForm, STYLE } from './pages/render';
import { Strings, stringsIn } from './pages/strings';
import { ReportIntakeService, Upload } from './report-intake.service';

/** Headers of every reporter page: nothing to embed, nothing to leak through referrers or caches. */
export function pageHeaders(res: Response): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

export const stringsFor = (req: Request): Strings => stringsIn(req.query.lang, req.acceptsLanguages());

// Kept in memory (multer's default without a destination): plaintext never touches the disk. The
// memory is bounded: UploadGate admits a post only within the server's in-flight upload budget, and
// only once its challenge (named in the address) is spent, before multer reads any of the body.
const uploads = FilesInterceptor('attachments', MAX_ATTACHMENTS, {
  limits: { fileSize: MAX_ATTACHMENT_BYTES, files: MAX_ATTACHMENTS, fields: 10, fieldSize: 200_000 },
});

/** The largest post a reporter can send: every attachment at its limit, plus the text and the form. */
const MAX_POST_BYTES = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1_000_000;

/** How long, and how much, a refused post is still read (and dropped) once answered. */
const LINGER_MS = 2_000;
const LINGER_BYTES = 8 * 1024 * 1024;

/**
 * For a post answered without reading its body: the connection closes after the answer. Closing a
 * connection whose post was not read makes the kernel reset it, and a browser still sending may then
 * show "connection reset" instead of the answer. As Go's net/http and nginx's lingering_close do: when
 * the server closes it after the answer, what the client still sends is read and dropped for a moment
 * (never kept: node's parser discards an unconsumed body), then the connection is closed.
 */
export function closeAfterAnswer(req: Request, res: Response): void {
  res.setHeader('Connection', 'close');
  req.socket.destroySoon = function (this: Socket) {
    this.end();
    const closeAt = this.bytesRead + LINGER_BYTES;
    const timer = setTimeout(() => this.destroy(), LINGER_MS).unref();
    this.on('data', () => this.bytesRead > closeAt && this.destroy());
    this.once('close', () => clearTimeout(timer));
  };
}

/**
 * Before a byte of a reporter's post is read: its declared size must fit the largest report and the
 * server's in-flight upload budget (REPORT_UPLOADS_INFLIGHT_MB, else 503 and Retry-After), and the
 * challenge in its address is spent. A refused post is answered at once and its connection closed.
 */
function uploadGate(purpose: IntakePurpose) {
  @Injectable()
  class UploadGate implements NestInterceptor {
    constructor(
      private readonly guard: IntakeGuardService,
      private readonly budget: UploadBudget,
    ) {}

    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
      const http = context.switchToHttp();
      const req = http.getRequest<Request>();
      const res = http.getResponse<Response>();
      // Whatever the answer, an unread body is not waited for.
      closeAfterAnswer(req, res);
      const declared = Number(req.headers['content-length']);
      if (!Number.isSafeInteger(declared) || declared > MAX_POST_BYTES) throw new PayloadTooLargeException();
      if (!this.budget.reserve(declared))
        throw new AppError(ErrorCode.UNAVAILABLE, 'The server is receiving too many files: try again in a minute');
      res.once('close', () => this.budget.release(declared));
      return from(
        this.guard.spend(
          'form',
          purpose,
          typeof req.query.challenge === 'string' ? req.query.challenge : '',
          undefined,
          'challenge',
        ),
      ).pipe(switchMap(() => next.handle()));
    }
  }
  return mixin(UploadGate);
}

/**
 * Errors raised before the handler (upload limits, the upload gate, a challenge refused while files
 * arrive), rendered as a page: a reporter's browser runs no script to show JSON. Like the handlers'
 * own, an unexpected one shows a generic page and is not logged; a post its sender abandoned (multer's
 * "Request aborted") has nobody left to answer.
 */
@Catch()
class ReportPageErrors implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    // The connection, not the request: a request whose body was read to its end counts as destroyed.
    if (req.socket.destroyed) return;
    pageHeaders(res);
    const code =
      error instanceof GraphQLError
        ? String(error.extensions.code)
        : error instanceof HttpException && error.getStatus() === 413
          ? 'TOO_LARGE'
          : 'INTERNAL';
    if (code === 'UNAVAILABLE') res.setHeader('Retry-After', '60');
    const status =
      error instanceof HttpException
        ? error.getStatus()
        : error instanceof GraphQLError
          ? (HTTP_STATUS[code] ?? 500)
          : 500;
    res
      .status(status)
      .type('html')
      .send(errorPage(stringsFor(req), code, error instanceof GraphQLError ? error.message : undefined));
  }
}

type MulterFile = { originalname: string; mimetype: string; buffer: Buffer; size: number };
const toUploads = (files: MulterFile[] | undefined): Upload[] =>
  (files ?? [])
    .filter((f) => f.size > 0)
    .map((f) => ({ filename: f.originalname, contentType: f.mimetype, content: f.buffer }));

/**
 * The reporter's pages: server-rendered, usable without JavaScript, no cookies, no third-party
 * assets. Nothing here logs, and nothing about the request (address, agent, time) is stored.
 */
@Public('anyone; follow-up needs a receipt and a proof of work')
@Controller('report')
@UseFilters(ReportPageErrors)
export class ReportPagesController {
  constructor(
    private readonly intake: ReportIntakeService,
    private readonly guard: IntakeGuardService,
    private readonly db: DatabaseService,
  ) {}

  @Get('style.css')
  style(@Res() res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.type('css').send(STYLE);
  }

  @Get()
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(req, res, (s) => this.freshForm(s));
  }

  @Post()
  @UseInterceptors(uploadGate(IntakePurpose.SUBMIT), uploads)
  async submit(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, string>,
    @UploadedFiles() files: MulterFile[],
  ): Promise<void> {
    await this.render(
      req,
      res,
      async (s) => {
        const category = body.category as ReportCategory;
        if (!Object.values(ReportCategory).includes(category))
          return this.freshForm(s, errorBox(s, 'BAD_USER_INPUT', 'category'));
        const input = {
          recipientOrganisationId: String(body.recipientOrganisationId ?? ''),
          category,
          text: String(body.text ?? ''),
        };
        return receiptPage(s, await this.intake.submit(input, toUploads(files)));
      },
      (s, box) => this.freshForm(s, box),
    );
  }

  @Get('follow-up')
  async followUp(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(req, res, (s) => this.followUpForm(s));
  }

  @Post('follow-up')
  async open(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>): Promise<void> {
    const receipt = String(body.receipt ?? '');
    await this.render(
      req,
      res,
      async (s) => {
        await this.guard.spend('form', IntakePurpose.FOLLOW_UP, String(body.challenge ?? ''), undefined, 'challenge');
        return casePage(s, receipt, await this.followUpChallenge(), await this.intake.view(receipt));
      },
      (s, box) => this.followUpForm(s, box),
    );
  }

  @Post('follow-up/reply')
  @UseInterceptors(uploadGate(IntakePurpose.FOLLOW_UP), uploads)
  async reply(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, string>,
    @UploadedFiles() files: MulterFile[],
  ): Promise<void> {
    const receipt = String(body.receipt ?? '');
    await this.render(
      req,
      res,
      async (s) => {
        const after = await this.intake.reply(receipt, String(body.body ?? ''), toUploads(files));
        return casePage(s, receipt, await this.followUpChallenge(), after, notice(s.replySent));
      },
      (s, box) => this.followUpForm(s, box),
    );
  }

  /** The report form with a new single-use challenge (each one is spent by a submission). */
  private async freshForm(s: Strings, error?: string): Promise<string> {
    const { challenge } = await this.guard.issue('form', IntakePurpose.SUBMIT);
    return reportForm(s, await this.intake.recipients(), challenge, error);
  }

  private async followUpForm(s: Strings, error?: string): Promise<string> {
    return followUpForm(s, await this.followUpChallenge(), error);
  }

  private async followUpChallenge(): Promise<string> {
    return (await this.guard.issue('form', IntakePurpose.FOLLOW_UP)).challenge;
  }

  /**
   * Runs `build` in its own request transaction and sends the page; an application error (bad input,
   * wrong receipt) rolls the transaction back and renders `onError` with a message in the
   * reporter's language. Unexpected errors show a generic page; their detail is not logged here.
   */
  private async render(
    req: Request,
    res: Response,
    build: (s: Strings) => Promise<string>,
    onError?: (s: Strings, box: string) => Promise<string>,
  ): Promise<void> {
    const s = stringsFor(req);
    pageHeaders(res);
    try {
      const html = await this.db.withRequest({}, () => build(s));
      res.status(200).type('html').send(html);
    } catch (err) {
      const code = err instanceof GraphQLError ? String(err.extensions.code) : 'INTERNAL';
      const status = HTTP_STATUS[code] ?? 500;
      const box = errorBox(s, code, err instanceof GraphQLError ? err.message : undefined);
      const html =
        onError && code !== 'INTERNAL' ? await this.db.withRequest({}, () => onError(s, box)) : errorPage(s, code);
      res.status(status).type('html').send(html);
    }
  }
}
