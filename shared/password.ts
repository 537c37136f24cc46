/**
 * The staff password rule, shared so that the setup and user screens give live feedback with the
 * very rule the main process enforces. Length matters most; character classes stop the worst
 * choices; a password that contains the username is refused outright.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'tooFewClasses' | 'containsUsername';

export function passwordProblems(password: string, username = ''): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('tooShort');
  if (password.length > PASSWORD_MAX_LENGTH) problems.push('tooLong');
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('tooFewClasses');
  const user = username.trim().toLowerCase();
  if (user.length >= 3 && password.toLowerCase().includes(user)) problems.push('containsUsername');
  return problems;
}
