/** The public entry of src/oa-bot/: what other features and the app module may use. */
export { answerCitizen } from './answer-citizen.ts';
export { statusChangeText } from './bot-replies.ts';
