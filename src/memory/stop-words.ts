// English function words the hashing embedder drops: they occur in most texts, so they add
// collisions to every hashed vector and nothing to tell texts apart. Keyword search keeps them
// (FTS5 has no stop list, and BM25's IDF already makes them cheap).
const LIST = `a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either etc few for from
further had has have having he her here hers herself him himself his how however i if in into is it
its itself just may me might more most must my myself neither no nor not now of off on once only or
other our ours ourselves out over own same shall she should so some such than that the their theirs
them themselves then there therefore these they this those through thus to too under until up upon
very was we were what when where whether which while who whom why will with within without would yet
you your yours yourself yourselves`;

/** Lower-cased, unstemmed English stop words. */
export const STOP_WORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/));
