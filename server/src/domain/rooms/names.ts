import { limits } from '@parley/protocol';
import { AppError } from '../../errors.js';

// Emoji glue is the one legitimate use of invisible characters in a name: the variation selector after
// an emoji (❤️, 1️⃣) and the joiner between two (👩‍💻). They are removed before looking for the rest.
const emojiGlue =
  /(?<=\p{Emoji})\uFE0F|(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;
// Zero-width spaces and joiners, bidi controls, soft hyphens, tags, fillers, control, private-use and
// unassigned characters: "General\u200b" must not pass for a second "General".
const hidden = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

// The scripts whose letters pass for each other. One word mixing them ("Gеneral" with a Cyrillic е) is
// how a look-alike of an existing room is made; words in different scripts ("Dev чат") are fine.
const confusableScripts = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];
// Cyrillic and Greek letters that look like Latin ones: a name made only of these ("Соре", "ΤΟΡ") reads
// as a Latin word that it is not.
const latinLookalikes = new Set('АВСЕНІЈКМОРЅТХУаеіјорсуѕхһԁԛԝӏѵԜΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιν'.split(''));

function refuse(message: string): never {
  throw new AppError('validation_failed', message);
}

/**
 * A room's name as it is kept: NFKC (full-width "Ｇｅｎｅｒａｌ" is "General"), spaces collapsed, and
 * refused, as a username would be, when it hides characters or imitates another name's letters.
 */
export function cleanRoomName(raw: string): string {
  if (raw.includes('\u0000')) refuse('Names and descriptions cannot contain NUL characters.');
  const name = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (!name) refuse('A room needs a name.');
  if (name.length > limits.roomNameMax) refuse(`Room names are at most ${limits.roomNameMax} characters.`);
  if (hidden.test(name.replace(emojiGlue, '')))
    refuse('Room names cannot contain invisible, control or formatting characters.');
  const scriptsOf = (text: string) => confusableScripts.filter((script) => script.test(text));
  for (const word of name.split(/[^\p{L}\p{M}]+/u))
    if (scriptsOf(word).length > 1)
      refuse('A word of a room name cannot mix Latin, Cyrillic and Greek letters.');
  const letters = [...name].filter((char) => /\p{L}/u.test(char));
  const scripts = scriptsOf(name);
  const foreign = scripts.length > 0 && !scripts.includes(confusableScripts[0] as RegExp);
  if (foreign && letters.every((char) => latinLookalikes.has(char)))
    refuse('That room name is made only of letters that look like Latin ones; write it in Latin letters.');
  return name;
}
