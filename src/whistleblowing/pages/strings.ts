import { CaseStatus, MessageAuthor, ReportCategory } from '../case-enums';

/** Every string of the reporter pages, per language. A new language is one more entry here. */
export const STRINGS = {
  en: {
    lang: 'en',
    title: 'Report corruption or crime in the port, anonymously',
    intro:
      'Tell a police force, customs or a port authority what you saw. You do not give your name. This site keeps no address, no browser details and no times, only dates; what you write is encrypted so that only the organisation you choose can read it.',
    advice: "For more safety, use a device and network that are not your employer's.",
    recipient: 'Who should receive your report?',
    category: 'What is it about?',
    categories: {
      BRIBERY: 'Bribery or a corruption attempt',
      DRUG_TRAFFICKING: 'Drug trafficking',
      CONTAINER_MANIPULATION: 'Containers, seals or PIN codes tampered with',
      ACCESS_ABUSE: 'Misuse of access to terminals or systems',
      DATA_LEAK: 'Information leaked to outsiders',
      INTIMIDATION: 'Threats or intimidation',
      OTHER: 'Something else',
    } satisfies Record<ReportCategory, string>,
    text: 'What happened? Who, what, where, when?',
    attachments:
      'Files (optional; up to 10, at most 20 MB each). Photos can reveal where and with which device they were taken.',
    send: 'Send report',
    noRecipients: 'No organisation accepts reports at the moment.',
    receiptTitle: 'Your report was received',
    receiptIntro: 'This is your receipt:',
    receiptWarning:
      'Write it down now and keep it secret. It is the only way to read answers and add information. It is shown only this once and nobody can recover it.',
    followUpLink: 'Follow up on a report',
    followUpTitle: 'Follow up on your report',
    receipt: 'Your receipt',
    open: 'Open',
    status: 'Status',
    statuses: {
      NEW: 'Received',
      IN_REVIEW: 'Being reviewed',
      NEED_INFO: 'More information needed',
      REFERRED: 'Passed to another authority',
      CLOSED: 'Closed',
    } satisfies Record<CaseStatus, string>,
    yourReport: 'Your report',
    received: 'Received on',
    messages: 'Messages',
    noMessages: 'No messages yet.',
    from: { REPORTER: 'You', HANDLER: 'Case handler', NOTE: '' } satisfies Record<MessageAuthor, string>,
    files: 'Files',
    reply: 'Your answer',
    sendReply: 'Send answer',
    replySent: 'Your answer was sent.',
    errors: {
      NOT_FOUND: 'No report matches this receipt. Check the digits and try again.',
      UNAVAILABLE: 'The service is busy. Nothing was stored; wait a minute and send again.',
      BAD_USER_INPUT: 'Please check what you entered:',
      TOO_LARGE: 'Too many or too large files: at most 10 files of 20 MB each.',
      INTERNAL: 'Something went wrong. Nothing was stored; please try again later.',
    },
    back: 'Back',
    /** The other language, named in itself: the label of the link that leads to it. */
    language: 'Nederlands',
  },
  nl: {
    lang: 'nl',
    title: 'Meld anoniem corruptie of criminaliteit in de haven',
    intro:
      'Vertel een politiekorps, de douane of een havenbedrijf wat u zag. U geeft uw naam niet. Deze site bewaart geen adres, geen browsergegevens en geen tijdstippen, alleen data; wat u schrijft wordt versleuteld zodat alleen de organisatie die u kiest het kan lezen.',
    advice: 'Gebruik voor meer veiligheid een apparaat en netwerk die niet van uw werkgever zijn.',
    recipient: 'Wie moet uw melding ontvangen?',
    category: 'Waar gaat het over?',
    categories: {
      BRIBERY: 'Omkoping of een poging daartoe',
      DRUG_TRAFFICKING: 'Drugshandel',
      CONTAINER_MANIPULATION: 'Geknoeid met containers, zegels of pincodes',
      ACCESS_ABUSE: 'Misbruik van toegang tot terminals of systemen',
      DATA_LEAK: 'Informatie gelekt naar buitenstaanders',
      INTIMIDATION: 'Bedreiging of intimidatie',
      OTHER: 'Iets anders',
    } satisfies Record<ReportCategory, string>,
    text: 'Wat is er gebeurd? Wie, wat, waar, wanneer?',
    attachments:
      "Bestanden (optioneel; maximaal 10, elk hoogstens 20 MB). Foto's kunnen verraden waar en met welk apparaat ze zijn gemaakt.",
    send: 'Melding versturen',
    noRecipients: 'Op dit moment neemt geen organisatie meldingen aan.',
    receiptTitle: 'Uw melding is ontvangen',
    receiptIntro: 'Dit is uw ontvangstcode:',
    receiptWarning:
      'Schrijf de code nu op en houd hem geheim. Alleen hiermee kunt u antwoorden lezen en informatie toevoegen. Hij wordt maar één keer getoond en niemand kan hem herstellen.',
    followUpLink: 'Een melding opvolgen',
    followUpTitle: 'Uw melding opvolgen',
    receipt: 'Uw ontvangstcode',
    open: 'Openen',
    status: 'Status',
    statuses: {
      NEW: 'Ontvangen',
      IN_REVIEW: 'In behandeling',
      NEED_INFO: 'Meer informatie nodig',
      REFERRED: 'Doorgestuurd naar een andere instantie',
      CLOSED: 'Afgesloten',
    } satisfies Record<CaseStatus, string>,
    yourReport: 'Uw melding',
    received: 'Ontvangen op',
    messages: 'Berichten',
    noMessages: 'Nog geen berichten.',
    from: { REPORTER: 'U', HANDLER: 'Behandelaar', NOTE: '' } satisfies Record<MessageAuthor, string>,
    files: 'Bestanden',
    reply: 'Uw antwoord',
    sendReply: 'Antwoord versturen',
    replySent: 'Uw antwoord is verstuurd.',
    errors: {
      NOT_FOUND: 'Geen melding hoort bij deze ontvangstcode. Controleer de cijfers en probeer het opnieuw.',
      UNAVAILABLE: 'De dienst is druk bezet. Er is niets opgeslagen; wacht een minuut en verstuur het opnieuw.',
      BAD_USER_INPUT: 'Controleer wat u hebt ingevuld:',
      TOO_LARGE: 'Te veel of te grote bestanden: maximaal 10 bestanden van elk 20 MB.',
      INTERNAL: 'Er ging iets mis. Er is niets opgeslagen; probeer het later opnieuw.',
    },
    back: 'Terug',
    language: 'English',
  },
};

export type Language = keyof typeof STRINGS;
export type Strings = (typeof STRINGS)[Language];

/** `?lang=` first, then the browser's preference; English otherwise. */
export function languageOf(query: unknown, acceptLanguage: string | undefined): Language {
  if (query === 'nl' || query === 'en') return query;
  return /^nl\b/i.test(acceptLanguage ?? '') ? 'nl' : 'en';
}
