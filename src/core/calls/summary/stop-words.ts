/**
 * English function words plus the fillers of spoken calls ("yeah", "okay", "gonna"): they carry
 * no topic, and in a transcript they would otherwise outrank every real subject.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being
  below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
  each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
  herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more
  most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same
  shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them
  themselves then there there's these they they'd they'll they're they've this those through to too under
  until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
  while who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your yours
  yourself yourselves
  yeah yes yep no nope okay ok oh uh um uhm hmm ah er like just really well right gonna wanna gotta kind sort
  thing things stuff know think mean get got go going actually basically literally maybe sure hi hello hey bye
  thanks thank please sorry alright anyway lot one two also even still much many way could would should might
  let can us said say says see look come came make made take want need back now today tomorrow yesterday
  good great fine nice new old big small little last next first able else bit something anything everything
  nothing someone anyone everyone`
    .split(/\s+/)
    .filter((word) => word.length > 0),
);
