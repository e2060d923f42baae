export { buttonClass, type ButtonVariant } from './button-class';
export { SubmitButton } from './submit-button';
