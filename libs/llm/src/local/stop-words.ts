// Words too common to say what a sentence is about: English first, plus the most frequent function
// words of German, French and Spanish so that texts in those languages are scored by content too.
// Other languages get no list; their frequent words then weigh like any other word.

const ENGLISH = `a about above after again against all also am an and any are aren't as at be because
been before being below between both but by can can't cannot could couldn't did didn't do does doesn't
doing don't down during each either even ever every few for from further had hadn't has hasn't have
haven't having he he'd he'll he's her here here's hers herself him himself his how how's however i i'd
i'll i'm i've if in into is isn't it it's its itself just let's may me might more most much must
mustn't my myself neither no nor not now of off on once one only or other ought our ours ourselves out
over own per rather same shall shan't she she'd she'll she's should shouldn't since so some still such
than that that's the their theirs them themselves then there there's these they they'd they'll they're
they've this those though through thus to too under until up upon us very via was wasn't we we'd we'll
we're we've were weren't what what's when when's where where's whether which while who who's whom whose
why why's will with within without won't would wouldn't yet you you'd you'll you're you've your yours
yourself yourselves`;

const GERMAN = `aber als am an auch auf aus bei bin bis bist da das dass dem den der des die dies doch du
durch ein eine einem einen einer eines er es für hat hatte ich ihr im in ist ja kein mit nach nicht noch
nur oder sein sich sie sind so um und uns von vor war was wie wir wird zu zum zur`;

const FRENCH = `au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur lui mais
me même mes ne nos notre nous on ou par pas pour qu que qui sa se ses son sont sur ta te tes ton tu un
une vos votre vous été être`;

const SPANISH = `al como con de del el ella ellos en es esta este for hay la las le les lo los más me mi
no nos o para pero por que se si sin son su sus también un una uno y ya`;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  [ENGLISH, GERMAN, FRENCH, SPANISH].flatMap((list) => list.split(/\s+/)),
);
