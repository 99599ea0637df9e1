/**
 * Capitalised words that start sentences or name days, months, holidays,
 * family roles, faiths, languages and services: never taken for a person's
 * name or a place by the cue rules.
 */
export const NOT_A_NAME = new Set(
  ('I Me My Mine You Your He Him His She Her They Them Their We Us Our It Its This That These Those There Here Who What When Where Why How ' +
    'The A An And But Or So Then Now Yes No Not Yeah Okay Ok OK Oh Well Right Sure Hi Hello Thanks Thank Please Sorry Just Also Even Still ' +
    'Maybe Really Very Always Never Sometimes Again Anyway Like If Because After Before Every Each Last Next All Both Some Any One Two ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December ' +
    'Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec ' +
    'Mom Mum Mommy Mama Dad Daddy Papa Mother Father Grandma Grandpa Granny Nana Grandmother Grandfather Sis Bro Babe Honey Sweetie Dear ' +
    'God Jesus Lord Christ Allah Bible Church Christmas Easter Thanksgiving Halloween Passover Ramadan Hanukkah Today Tonight Tomorrow Yesterday ' +
    'English Spanish French German Chinese American Mexican Catholic Christian Jewish Muslim Black White Asian Latino Latina ' +
    'TV Internet Facebook Instagram Google Zoom Twitter TikTok Netflix AA NA ER ICU COVID PTSD ADHD OCD HR CEO DMV CPS ' +
    'Dr Mr Mrs Ms Mx Miss Prof Sir Madam Ma Am Is Was Are Were Has Had Have Do Does Did Will Would Can Could Should Must ' +
    'Sister Brother Aunt Uncle Cousin Nurse Officer Judge Pastor Rabbi Coach Detective Attorney Professor Doctor Therapist Counselor ' +
    'Home Work School Group Therapy Session Hospital Clinic Court Office Anyway Though Although While Since Until Lately Honestly ' +
    'Medicare Medicaid Social Security Higher Power').split(' '),
);
