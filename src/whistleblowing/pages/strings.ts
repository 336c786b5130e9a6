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
    /** The language named in itself: the label of the link that leads to it. */
    name: 'English',
    /** The regional variant for dates when the browser names none of this language. */
    locale: 'en-GB',
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
    name: 'Nederlands',
    locale: 'nl-NL',
  },
  de: {
    lang: 'de',
    title: 'Korruption oder Kriminalität im Hafen anonym melden',
    intro:
      'Teilen Sie einer Polizeibehörde, dem Zoll oder einer Hafenbehörde mit, was Sie gesehen haben. Sie nennen Ihren Namen nicht. Diese Seite speichert keine Adresse, keine Browserdaten und keine Uhrzeiten, nur Daten; was Sie schreiben, wird verschlüsselt, sodass nur die Organisation, die Sie wählen, es lesen kann.',
    advice: 'Für mehr Sicherheit nutzen Sie ein Gerät und ein Netz, die nicht Ihrem Arbeitgeber gehören.',
    recipient: 'Wer soll Ihre Meldung erhalten?',
    category: 'Worum geht es?',
    categories: {
      BRIBERY: 'Bestechung oder ein Bestechungsversuch',
      DRUG_TRAFFICKING: 'Drogenhandel',
      CONTAINER_MANIPULATION: 'Manipulierte Container, Siegel oder PIN-Codes',
      ACCESS_ABUSE: 'Missbrauch des Zugangs zu Terminals oder Systemen',
      DATA_LEAK: 'An Außenstehende weitergegebene Informationen',
      INTIMIDATION: 'Drohungen oder Einschüchterung',
      OTHER: 'Etwas anderes',
    } satisfies Record<ReportCategory, string>,
    text: 'Was ist passiert? Wer, was, wo, wann?',
    attachments:
      'Dateien (freiwillig; bis zu 10, je höchstens 20 MB). Fotos können verraten, wo und mit welchem Gerät sie aufgenommen wurden.',
    send: 'Meldung senden',
    noRecipients: 'Zurzeit nimmt keine Organisation Meldungen an.',
    receiptTitle: 'Ihre Meldung ist eingegangen',
    receiptIntro: 'Dies ist Ihr Zugangscode:',
    receiptWarning:
      'Schreiben Sie ihn jetzt auf und halten Sie ihn geheim. Nur mit ihm können Sie Antworten lesen und Informationen ergänzen. Er wird nur dieses eine Mal angezeigt und niemand kann ihn wiederherstellen.',
    followUpLink: 'Eine Meldung weiterverfolgen',
    followUpTitle: 'Ihre Meldung weiterverfolgen',
    receipt: 'Ihr Zugangscode',
    open: 'Öffnen',
    status: 'Stand',
    statuses: {
      NEW: 'Eingegangen',
      IN_REVIEW: 'Wird geprüft',
      NEED_INFO: 'Weitere Informationen nötig',
      REFERRED: 'An eine andere Behörde weitergeleitet',
      CLOSED: 'Abgeschlossen',
    } satisfies Record<CaseStatus, string>,
    yourReport: 'Ihre Meldung',
    received: 'Eingegangen am',
    messages: 'Nachrichten',
    noMessages: 'Noch keine Nachrichten.',
    from: { REPORTER: 'Sie', HANDLER: 'Sachbearbeitung', NOTE: '' } satisfies Record<MessageAuthor, string>,
    files: 'Dateien',
    reply: 'Ihre Antwort',
    sendReply: 'Antwort senden',
    replySent: 'Ihre Antwort wurde gesendet.',
    errors: {
      NOT_FOUND: 'Zu diesem Zugangscode gibt es keine Meldung. Prüfen Sie die Ziffern und versuchen Sie es erneut.',
      UNAVAILABLE:
        'Der Dienst ist ausgelastet. Es wurde nichts gespeichert; warten Sie eine Minute und senden Sie erneut.',
      BAD_USER_INPUT: 'Bitte prüfen Sie Ihre Eingaben:',
      TOO_LARGE: 'Zu viele oder zu große Dateien: höchstens 10 Dateien zu je 20 MB.',
      INTERNAL: 'Etwas ist schiefgegangen. Es wurde nichts gespeichert; bitte versuchen Sie es später erneut.',
    },
    back: 'Zurück',
    name: 'Deutsch',
    locale: 'de-DE',
  },
  fr: {
    lang: 'fr',
    title: 'Signaler anonymement la corruption ou un crime dans le port',
    intro:
      "Dites à la police, à la douane ou à une autorité portuaire ce que vous avez vu. Vous ne donnez pas votre nom. Ce site ne conserve ni adresse, ni informations sur le navigateur, ni heures, seulement des dates ; ce que vous écrivez est chiffré pour que seule l'organisation que vous choisissez puisse le lire.",
    advice: "Pour plus de sécurité, utilisez un appareil et un réseau qui n'appartiennent pas à votre employeur.",
    recipient: 'Qui doit recevoir votre signalement ?',
    category: "De quoi s'agit-il ?",
    categories: {
      BRIBERY: 'Corruption ou tentative de corruption',
      DRUG_TRAFFICKING: 'Trafic de drogue',
      CONTAINER_MANIPULATION: 'Conteneurs, scellés ou codes PIN manipulés',
      ACCESS_ABUSE: 'Abus des accès aux terminaux ou aux systèmes',
      DATA_LEAK: 'Informations divulguées à des tiers',
      INTIMIDATION: 'Menaces ou intimidation',
      OTHER: 'Autre chose',
    } satisfies Record<ReportCategory, string>,
    text: "Que s'est-il passé ? Qui, quoi, où, quand ?",
    attachments:
      "Fichiers (facultatif ; jusqu'à 10, 20 Mo au plus chacun). Les photos peuvent révéler où et avec quel appareil elles ont été prises.",
    send: 'Envoyer le signalement',
    noRecipients: "Aucune organisation n'accepte de signalements pour le moment.",
    receiptTitle: 'Votre signalement a été reçu',
    receiptIntro: 'Voici votre code de suivi :',
    receiptWarning:
      "Notez-le maintenant et gardez-le secret. C'est le seul moyen de lire les réponses et d'ajouter des informations. Il n'est affiché qu'une fois et personne ne peut le retrouver.",
    followUpLink: 'Suivre un signalement',
    followUpTitle: 'Suivre votre signalement',
    receipt: 'Votre code de suivi',
    open: 'Ouvrir',
    status: 'État',
    statuses: {
      NEW: 'Reçu',
      IN_REVIEW: "En cours d'examen",
      NEED_INFO: "Besoin de plus d'informations",
      REFERRED: 'Transmis à une autre autorité',
      CLOSED: 'Clos',
    } satisfies Record<CaseStatus, string>,
    yourReport: 'Votre signalement',
    received: 'Reçu le',
    messages: 'Messages',
    noMessages: 'Pas encore de message.',
    from: { REPORTER: 'Vous', HANDLER: 'Responsable du dossier', NOTE: '' } satisfies Record<MessageAuthor, string>,
    files: 'Fichiers',
    reply: 'Votre réponse',
    sendReply: 'Envoyer la réponse',
    replySent: 'Votre réponse a été envoyée.',
    errors: {
      NOT_FOUND: 'Aucun signalement ne correspond à ce code. Vérifiez les chiffres et réessayez.',
      UNAVAILABLE: "Le service est surchargé. Rien n'a été enregistré ; attendez une minute et renvoyez.",
      BAD_USER_INPUT: 'Vérifiez ce que vous avez saisi :',
      TOO_LARGE: 'Trop de fichiers ou fichiers trop gros : au plus 10 fichiers de 20 Mo chacun.',
      INTERNAL: "Un problème est survenu. Rien n'a été enregistré ; réessayez plus tard.",
    },
    back: 'Retour',
    name: 'Français',
    locale: 'fr-FR',
  },
  es: {
    lang: 'es',
    title: 'Denuncie de forma anónima la corrupción o el delito en el puerto',
    intro:
      'Cuente a la policía, a la aduana o a una autoridad portuaria lo que vio. No da su nombre. Este sitio no guarda direcciones, datos del navegador ni horas, solo fechas; lo que escribe se cifra para que solo la organización que elija pueda leerlo.',
    advice: 'Para mayor seguridad, use un dispositivo y una red que no sean de su empleador.',
    recipient: '¿Quién debe recibir su denuncia?',
    category: '¿De qué se trata?',
    categories: {
      BRIBERY: 'Soborno o intento de soborno',
      DRUG_TRAFFICKING: 'Tráfico de drogas',
      CONTAINER_MANIPULATION: 'Contenedores, precintos o códigos PIN manipulados',
      ACCESS_ABUSE: 'Abuso del acceso a terminales o sistemas',
      DATA_LEAK: 'Información filtrada a terceros',
      INTIMIDATION: 'Amenazas o intimidación',
      OTHER: 'Otra cosa',
    } satisfies Record<ReportCategory, string>,
    text: '¿Qué ocurrió? ¿Quién, qué, dónde, cuándo?',
    attachments:
      'Archivos (opcional; hasta 10, de 20 MB como máximo cada uno). Las fotos pueden revelar dónde y con qué dispositivo se tomaron.',
    send: 'Enviar denuncia',
    noRecipients: 'En este momento ninguna organización acepta denuncias.',
    receiptTitle: 'Su denuncia se ha recibido',
    receiptIntro: 'Este es su código de seguimiento:',
    receiptWarning:
      'Anótelo ahora y manténgalo en secreto. Es la única forma de leer las respuestas y añadir información. Solo se muestra esta vez y nadie puede recuperarlo.',
    followUpLink: 'Seguir una denuncia',
    followUpTitle: 'Seguir su denuncia',
    receipt: 'Su código de seguimiento',
    open: 'Abrir',
    status: 'Estado',
    statuses: {
      NEW: 'Recibida',
      IN_REVIEW: 'En revisión',
      NEED_INFO: 'Se necesita más información',
      REFERRED: 'Remitida a otra autoridad',
      CLOSED: 'Cerrada',
    } satisfies Record<CaseStatus, string>,
    yourReport: 'Su denuncia',
    received: 'Recibida el',
    messages: 'Mensajes',
    noMessages: 'Aún no hay mensajes.',
    from: { REPORTER: 'Usted', HANDLER: 'Gestor del caso', NOTE: '' } satisfies Record<MessageAuthor, string>,
    files: 'Archivos',
    reply: 'Su respuesta',
    sendReply: 'Enviar respuesta',
    replySent: 'Su respuesta se ha enviado.',
    errors: {
      NOT_FOUND: 'Ninguna denuncia corresponde a este código. Compruebe las cifras e inténtelo de nuevo.',
      UNAVAILABLE: 'El servicio está saturado. No se ha guardado nada; espere un minuto y vuelva a enviar.',
      BAD_USER_INPUT: 'Compruebe lo que ha introducido:',
      TOO_LARGE: 'Demasiados archivos o demasiado grandes: como máximo 10 archivos de 20 MB cada uno.',
      INTERNAL: 'Algo ha fallado. No se ha guardado nada; inténtelo más tarde.',
    },
    back: 'Volver',
    name: 'Español',
    locale: 'es-ES',
  },
};

export type Language = keyof typeof STRINGS;
export type Strings = (typeof STRINGS)[Language];
export const LANGUAGES = Object.keys(STRINGS) as Language[];

/**
 * The page's language: `?lang=` first, then the browser's preference (`accepted`, best first, as
 * Express's req.acceptsLanguages() lists it); English otherwise. Dates follow the reader's regional
 * variant of that language (en-GB, nl-BE...), as the console's do.
 */
export function stringsIn(query: unknown, accepted: string[]): Strings {
  const primary = (tag: string) => tag.split('-')[0].toLowerCase();
  const lang =
    LANGUAGES.find((l) => l === query) ??
    LANGUAGES.find((l) => l === accepted.map(primary).find((a) => (LANGUAGES as string[]).includes(a))) ??
    'en';
  const regional = accepted.find((tag) => primary(tag) === lang && /^[a-z]{2}-[A-Z]{2}$/i.test(tag));
  return { ...STRINGS[lang], locale: regional ?? STRINGS[lang].locale };
}

/** A day (YYYY-MM-DD, as reporters' cases keep them) in the page's language. */
export const dayIn = (s: Strings, day: string) =>
  new Intl.DateTimeFormat(s.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
