// The texts of the pages behind a personal link (signing and reporting) in Swedish; links-en.ts has
// the same keys in English.

export const linksSv = {
  askedBy: 'Vem frågar',
  coordinator: (name: string, organisation?: string) => (organisation ? `${name}, samordnare för ${organisation}` : `${name}, samordnare`),
  email: 'E-post',
  phone: 'Telefon',
  askFirst: 'Har du frågor, eller känner du inte igen det här? Kontakta samordnaren innan du svarar.',
  notices: {
    unknown: ['Okänd länk', 'Länken känns inte igen. Kontrollera att hela länken kom med från e-postmeddelandet.'],
    signExpired: [
      'Länken har gått ut',
      'Länken gäller inte längre. Använd länken i ditt senaste e-postmeddelande, eller kontakta samordnaren.',
    ],
    superseded: [
      'Texten har ändrats',
      'Texten har ändrats sedan du fick den här länken, så den kan inte längre signeras. En ny begäran med den nya texten kommer med e-post (ämnesraden börjar "Signera medborgarlöftet (ny version"); använd länken i den.',
    ],
    completed: ['Signeringen är klar', 'Alla har signerat och löftet gäller. Länken behövs inte längre.'],
    declined: [
      'Signeringen är avbruten',
      'En part avböjde, så löftet är tillbaka hos samordnaren som utkast. Skickas det igen får du en ny länk.',
    ],
    expired: [
      'Tiden för att signera gick ut',
      'Alla hann inte signera, så löftet är tillbaka hos samordnaren som utkast. Skickas det igen får du en ny länk.',
    ],
    withdrawn: ['Löftet är återkallat', 'Samordnaren har återkallat löftet. Inget mer behövs från dig.'],
    alreadyAnswered: ['Redan besvarat', 'Du har redan lämnat ditt svar. Det går inte att signera två gånger.'],
    reportExpired: ['Länken har gått ut', 'Länken gäller inte längre. Kontakta samordnaren om du behöver rapportera något.'],
    reportWithdrawn: ['Löftet är återkallat', 'Samordnaren har återkallat löftet, så inga fler rapporter behövs.'],
    reportClosed: ['Löftet är avslutat', 'Löftets period är avslutad och uppföljd. Kontakta samordnaren om något behöver rättas.'],
  } satisfies Record<string, [string, string]>,
  withdrawnBecause: (reason: string) => `Skäl: ${reason}`,
  publicPage: 'Se löftet och vad som gjorts',
  voidedTitle: 'Din signatur gäller inte längre',
  voidedWithdrawn: (signedOn: string) => `Du signerade ${signedOn}, men samordnaren har återkallat löftet. Inget mer behövs från dig.`,
  voidedRevised: (signedVersion: number, signedOn: string, now: number) =>
    `Du signerade version ${signedVersion} ${signedOn}. Texten har ändrats sedan dess och är nu version ${now}, så signaturen gäller inte längre.`,
  voidedNewRequest: (now: number) =>
    `En ny begäran om att signera den nya texten har skickats till dig med e-post; använd länken i den (ämnesraden börjar "Signera medborgarlöftet (ny version ${now})").`,
  voidedWaiting: 'Samordnaren skickar en ny begäran när texten är klar.',
  signing: {
    title: 'Signera medborgarlöftet',
    greeting: (name: string, title: string, party: string) => `Hej ${name}, ${title} för ${party}.`,
    intro: (coordinator: string, promise: string, municipality: string) =>
      `${coordinator} ber dig signera medborgarlöftet "${promise}" i ${municipality}. Läs texten nedan. Du signerar i två steg: först läser du, sedan bekräftar du med ditt namn.`,
    deadline: (date: string) => `Svara senast ${date}.`,
    partiesTitle: 'Parter och signaturer',
    partiesCaption: 'Vilka som skriver under och vilka som har signerat hittills',
    columns: { name: 'Namn', title: 'Roll', party: 'Part', state: 'Läge' },
    you: 'Du',
    signedOn: (date: string) => `Signerat ${date}`,
    waiting: 'Inte signerat än',
    fingerprintTitle: 'Vad du skriver under',
    fingerprint: (version: number) =>
      `Du skriver under version ${version} av texten. Texten har ett fingeravtryck, en kontrollsumma (SHA-256) som räknas fram ur exakt den här texten. Ändras ett enda tecken blir fingeravtrycket ett annat. Din signatur sparas tillsammans med fingeravtrycket, så det går alltid att visa vilken text du skrev under.`,
    fingerprintLabel: 'Fingeravtryck (SHA-256)',
    verify: 'Kontrollera en text eller en PDF mot fingeravtrycket',
    exactText: 'Visa texten exakt som fingeravtrycket räknas på (för kontroll)',
    textTitle: 'Texten',
    next: 'Jag har läst texten – gå vidare till signering',
    declineTitle: 'Vill du inte skriva under?',
    declineIntro:
      'Om du avböjer stoppas signeringen för alla, och löftet går tillbaka till samordnaren. Skriv varför, så vet samordnaren vad som behöver ändras.',
    reason: 'Skäl att avböja',
    reasonMissing: 'skriv varför du avböjer',
    decline: 'Avböj att signera',
    confirmTitle: 'Bekräfta din signatur',
    confirmAs: 'Du signerar som',
    confirmWhat: (version: number, promise: string) => `Version ${version} av medborgarlöftet "${promise}", med fingeravtrycket`,
    confirmNote:
      'När du trycker på knappen är löftet signerat av dig. Det går inte att ångra; om texten behöver ändras skickar samordnaren en ny version.',
    confirm: (name: string) => `Signera som ${name}`,
    back: 'Tillbaka till texten',
    signedTitle: 'Tack för din signatur',
    signed: (version: number, promise: string) => `Du har signerat version ${version} av "${promise}".`,
    declinedTitle: 'Ditt svar är registrerat',
    declined: 'Du har avböjt. Samordnaren har fått ditt skäl.',
    decidedSigned: 'Du har signerat',
    decidedDeclined: 'Du har avböjt',
    decidedOn: (name: string, date: string) => `Svaret från ${name} registrerades ${date}.`,
    whenAllSigned: 'När alla har signerat gäller löftet, och du får ett besked med e-post.',
  },
};
