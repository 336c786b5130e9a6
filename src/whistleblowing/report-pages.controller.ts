import { ArgumentsHost, Body, Catch, Controller, ExceptionFilter, Get, HttpException, Post, Req, Res, UploadedFiles, UseFilters, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { Public } from '../auth/decorators';
import { DatabaseService } from '../database/database.service';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, ReportCategory } from './case-enums';
import { casePage, errorBox, errorPage, followUpForm, notice, receiptPage, reportForm, STYLE } from './pages/render';
import { languageOf, STRINGS, Strings } from './pages/strings';
import { ReportIntake, Upload } from './report-intake.service';

/** Headers of every reporter page: nothing to embed, nothing to leak through referrers or caches. */
function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

const stringsFor = (req: Request): Strings => STRINGS[languageOf(req.query.lang, req.headers['accept-language'])];

// Kept in memory (multer's default without a destination): plaintext never touches the disk.
const uploads = FilesInterceptor('attachments', MAX_ATTACHMENTS, {
  limits: { fileSize: MAX_ATTACHMENT_BYTES, files: MAX_ATTACHMENTS, fields: 10, fieldSize: 200_000 },
});

/** Upload limits and other HTTP errors, rendered as a page (a reporter's browser runs no script to show JSON). */
@Catch(HttpException)
class ReportPageErrors implements ExceptionFilter {
  catch(error: HttpException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    pageHeaders(res);
    res.status(error.getStatus()).type('html').send(errorPage(stringsFor(http.getRequest<Request>()), error.getStatus() === 413 ? 'TOO_LARGE' : 'INTERNAL'));
  }
}

type MulterFile = { originalname: string; mimetype: string; buffer: Buffer; size: number };
const toUploads = (files: MulterFile[] | undefined): Upload[] =>
  (files ?? []).filter((f) => f.size > 0).map((f) => ({ filename: f.originalname, contentType: f.mimetype, content: f.buffer }));

/**
 * The reporter's pages: server-rendered, usable without JavaScript, no cookies, no third-party
 * assets. Nothing here logs, and nothing about the request (address, agent, time) is stored.
 */
@Public()
@Controller('report')
@UseFilters(ReportPageErrors)
export class ReportPagesController {
  constructor(
    private readonly intake: ReportIntake,
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
  @UseInterceptors(uploads)
  async submit(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>, @UploadedFiles() files: MulterFile[]): Promise<void> {
    await this.render(req, res, async (s) => {
      this.intake.cost.spend('form', String(body.challenge ?? ''), undefined, 'challenge');
      const category = body.category as ReportCategory;
      if (!Object.values(ReportCategory).includes(category)) return this.freshForm(s, errorBox(s, 'BAD_USER_INPUT', 'category'));
      const input = { recipientOrganisationId: String(body.recipientOrganisationId ?? ''), category, text: String(body.text ?? '') };
      return receiptPage(s, await this.intake.submit(req.ip, input, toUploads(files)));
    }, (s, box) => this.freshForm(s, box));
  }

  @Get('follow-up')
  async followUp(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(req, res, async (s) => followUpForm(s));
  }

  @Post('follow-up')
  async open(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>): Promise<void> {
    const receipt = String(body.receipt ?? '');
    await this.render(req, res, async (s) => casePage(s, receipt, await this.intake.view(req.ip, receipt)), async (s, box) => followUpForm(s, box));
  }

  @Post('follow-up/reply')
  @UseInterceptors(uploads)
  async reply(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>, @UploadedFiles() files: MulterFile[]): Promise<void> {
    const receipt = String(body.receipt ?? '');
    await this.render(
      req, res,
      async (s) => casePage(s, receipt, await this.intake.reply(req.ip, receipt, String(body.body ?? ''), toUploads(files)), notice(s.replySent)),
      async (s, box) => followUpForm(s, box),
    );
  }

  /** The report form with a new single-use challenge (each one is spent by a submission). */
  private async freshForm(s: Strings, error?: string): Promise<string> {
    return reportForm(s, await this.intake.recipients(), this.intake.cost.issue('form'), error);
  }

  /**
   * Runs `build` in its own request transaction and sends the page; an application error (bad input,
   * wrong receipt, throttled) rolls the transaction back and renders `onError` with a message in the
   * reporter's language. Unexpected errors show a generic page; their detail is not logged here.
   */
  private async render(req: Request, res: Response, build: (s: Strings) => Promise<string>, onError?: (s: Strings, box: string) => Promise<string>): Promise<void> {
    const s = stringsFor(req);
    pageHeaders(res);
    try {
      const html = await this.db.withRequest({}, () => build(s));
      res.status(200).type('html').send(html);
    } catch (err) {
      const code = err instanceof GraphQLError ? String(err.extensions.code) : 'INTERNAL';
      const status = { NOT_FOUND: 404, RATE_LIMITED: 429, BAD_USER_INPUT: 400 }[code] ?? 500;
      const box = errorBox(s, code, err instanceof GraphQLError ? err.message : undefined);
      const html = onError && code !== 'INTERNAL' ? await this.db.withRequest({}, () => onError(s, box)) : errorPage(s, code);
      res.status(status).type('html').send(html);
    }
  }
}
