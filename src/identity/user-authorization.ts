/** What GitHub's OAuth web flow (or a refresh) gives for a person who authorized Ship. */
export interface UserAuthorization {
  userId: number;
  login: string;
  accessToken: string;
  /** Undefined when the token does not expire (token expiration turned off for the app). */
  accessExpiresAt?: Date;
  refreshToken?: string;
  refreshExpiresAt?: Date;
}
