/** `lumen doctor`: a workstation's health report for hospital IT. */
export { runDoctor, type DoctorOptions, type DoctorReport } from './runDoctor';
export type { DoctorCheck, CheckStatus } from './doctorCheck';
